using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>An IamApi route end to end: requests signed with identity-pool credentials for execute-api reach the backend
/// with who called (never the caller's signature); refusals are API Gateway's 403s and reach nothing.</summary>
public sealed class IamApiRouteTests(PortalServer server) : IClassFixture<PortalServer>, IAsyncLifetime
{
    readonly RecordingBackend backend = new();
    readonly HttpClient http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        http.Dispose();
        await backend.DisposeAsync();
    }

    async Task<(string Url, string Arn)> Route(string roleName, string apiPolicyResource)
    {
        var id = PortalServer.Unique("iam");
        await server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>().Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = id, Kind = GatewayRouteKinds.IamApi, PathPrefix = "/" + id, Backend = backend.BaseUrl,
                Settings = new() { ["ApiId"] = "notesapi01", ["Stage"] = "prod", ["MaxBodyBytes"] = "1024" },
            },
        });
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var roleId = "AROA" + Guid.NewGuid().ToString("n")[..17].ToUpperInvariant();
        db.IamRoles.Add(new IamRoleRow
        {
            RoleId = roleId, RoleName = roleName, RoleNameKey = roleName.ToUpperInvariant(), Arn = $"arn:aws:iam::000000000000:role/{roleName}",
            AssumeRolePolicyDocument = "{}", CreatedAt = server.Clock.GetUtcNow(),
        });
        db.IamRolePolicies.Add(new IamRolePolicyRow
        {
            RoleId = roleId, PolicyName = "invoke",
            PolicyDocument = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"" + apiPolicyResource + "\"}]}",
        });
        await db.SaveChangesAsync();
        return ($"{server.BaseUrl}/{id}", "arn:aws:execute-api:us-east-1:000000000000:notesapi01/prod");
    }

    async Task<(string AccessKeyId, string Secret, string Token)> Credentials(string roleName)
    {
        var now = server.Clock.GetUtcNow();
        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(), SecretAccessKey = SessionTokens.NewSecret(), RoleArn = $"arn:aws:iam::000000000000:role/{roleName}",
            RoleId = "AROAEXAMPLE", RoleName = roleName, SessionName = "CognitoIdentityCredentials", IssuedAt = now, Expiration = now.AddHours(1),
            Provider = "cognito-identity.amazonaws.com", Subject = "us-east-1:0000aaaa-0000-0000-0000-000000000001",
            Audience = "us-east-1:0000bbbb-0000-0000-0000-000000000002", Amr = ["unauthenticated"],
        };
        return (claims.AccessKeyId, claims.SecretAccessKey, await server.Services.GetRequiredService<SessionTokens>().Mint(claims, CancellationToken.None));
    }

    HttpRequestMessage Signed((string AccessKeyId, string Secret, string Token) c, HttpMethod method, string url, string body = "", DateTimeOffset? at = null)
    {
        var uri = new Uri(url);
        var amzDate = (at ?? server.Clock.GetUtcNow()).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.Authority), new("x-amz-date", amzDate), new("x-amz-security-token", c.Token) };
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var pairs = query.AllKeys.SelectMany(k => query.GetValues(k)!.Select(v => new KeyValuePair<string, string>(k!, v)));
        var signature = SigV4Signature.Compute(c.Secret, method.Method, uri.AbsolutePath, pairs, headers, Encoding.UTF8.GetBytes(body), amzDate, "us-east-1", "execute-api");
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", c.Token);
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(c.AccessKeyId, amzDate, "us-east-1", "execute-api", SigV4Signature.SignedHeaders(headers), signature));
        if (body.Length > 0 || method == HttpMethod.Post) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    [Fact]
    public async Task An_allowed_call_reaches_the_backend_with_the_caller_and_without_the_callers_credentials()
    {
        var role = PortalServer.Unique("api");
        var (url, arn) = await Route(role, "arn:aws:execute-api:us-east-1:000000000000:notesapi01/prod/*/notes/*");
        var c = await Credentials(role);

        using var request = Signed(c, HttpMethod.Post, $"{url}/notes/1?draft=true", "{\"text\":\"hi\"}");
        request.Headers.TryAddWithoutValidation("x-amzn-identity-cognito-identity-id", "us-east-1:forged");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (path, headers) = Assert.Single(backend.Received);
        Assert.EndsWith("/notes/1?draft=true", path, StringComparison.Ordinal);
        Assert.Equal("us-east-1:0000aaaa-0000-0000-0000-000000000001", headers["x-amzn-identity-cognito-identity-id"]);
        Assert.Equal("us-east-1:0000bbbb-0000-0000-0000-000000000002", headers["x-amzn-identity-cognito-identity-pool-id"]);
        Assert.Equal("unauthenticated", headers["x-amzn-identity-cognito-authentication-type"]);
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role}/CognitoIdentityCredentials", headers["x-amzn-identity-user-arn"]);
        Assert.False(headers.ContainsKey("authorization"));
        Assert.False(headers.ContainsKey("x-amz-security-token"));

        // The decision is logged with the statement's effect and the resource.
        await server.Services.GetRequiredService<global::Portal.Server.Gateway.GatewayDecisionLog>().Drained();
        var log = await server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>()
            .Send(new ListGatewayDecisionsRequest { Caller = "us-east-1:0000aaaa-0000-0000-0000-000000000001" });
        Assert.Contains(log.Decisions!, d => d.Decision == "Allow" && d.Resource == $"{arn}/POST/notes/1" && d.Action == "execute-api:Invoke");
    }

    [Fact]
    public async Task Refusals_are_API_Gateways_403s_and_reach_nothing()
    {
        var role = PortalServer.Unique("api");
        var (url, arn) = await Route(role, "arn:aws:execute-api:us-east-1:000000000000:notesapi01/prod/GET/*");
        var c = await Credentials(role);

        async Task Refused(HttpRequestMessage request, HttpStatusCode status, string body)
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                Assert.Equal(status, response.StatusCode);
                Assert.Equal(body, await response.Content.ReadAsStringAsync());
            }
        }
        await Refused(new HttpRequestMessage(HttpMethod.Get, $"{url}/notes"), HttpStatusCode.Forbidden, """{"message":"Missing Authentication Token"}""");
        await Refused(Signed(c, HttpMethod.Delete, $"{url}/notes/1"), HttpStatusCode.Forbidden,
            $$"""{"message":"User: arn:aws:sts::000000000000:assumed-role/{{role}}/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke on resource: {{arn}}/DELETE/notes/1"}""");
        var stale = Signed(c, HttpMethod.Get, $"{url}/notes", at: server.Clock.GetUtcNow().AddMinutes(-20));
        using (var response = await http.SendAsync(stale))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.StartsWith("{\"message\":\"Signature expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var malformed = new HttpRequestMessage(HttpMethod.Get, $"{url}/notes");
        malformed.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=%%%, Signature=");
        using (var response = await http.SendAsync(malformed)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var big = Signed(c, HttpMethod.Post, $"{url}/notes", new string('x', 2048));
        using (var response = await http.SendAsync(big)) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        Assert.Empty(backend.Received);
    }
}
