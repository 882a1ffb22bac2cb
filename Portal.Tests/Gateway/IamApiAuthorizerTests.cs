using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Remote;
using Portal.Server.Gateway.IamApi;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>API Gateway's AWS_IAM authorizer on requests signed with temporary credentials Portal minted: execute-api:Invoke
/// decided by the role's policies and the session policy, API Gateway's 403 bodies, and who called for the backend.</summary>
public sealed class IamApiAuthorizerTests(PortalServer server) : IClassFixture<PortalServer>
{
    static readonly IamApiSettings Api = new() { ApiId = "a1b2c3d4e5", Stage = "prod" };
    const string Arn = "arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/prod";

    sealed record Credentials(string AccessKeyId, string Secret, string Token, SessionClaims Claims);

    async Task<string> Role(params string[] policies)
    {
        var name = PortalServer.Unique("api-role");
        var roleId = "AROA" + Guid.NewGuid().ToString("n")[..17].ToUpperInvariant();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.IamRoles.Add(new IamRoleRow
        {
            RoleId = roleId, RoleName = name, RoleNameKey = name.ToUpperInvariant(), Arn = $"arn:aws:iam::000000000000:role/{name}",
            AssumeRolePolicyDocument = "{}", CreatedAt = server.Clock.GetUtcNow(),
        });
        for (var i = 0; i < policies.Length; i++)
            db.IamRolePolicies.Add(new IamRolePolicyRow { RoleId = roleId, PolicyName = $"p{i}", PolicyDocument = policies[i] });
        await db.SaveChangesAsync();
        return name;
    }

    static string Allow(params string[] resources) =>
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Invoke\",\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":["
        + string.Join(",", resources.Select(r => $"\"{r}\"")) + "]}]}";

    async Task<Credentials> Session(string roleName, string identityId = "us-east-1:11111111-2222-3333-4444-555555555555",
        string? sessionPolicy = null, string amr = "authenticated", TimeSpan? life = null)
    {
        var now = server.Clock.GetUtcNow();
        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(), SecretAccessKey = SessionTokens.NewSecret(),
            RoleArn = $"arn:aws:iam::000000000000:role/{roleName}", RoleId = "AROAEXAMPLE", RoleName = roleName,
            SessionName = "CognitoIdentityCredentials", IssuedAt = now, Expiration = now + (life ?? TimeSpan.FromHours(1)),
            SessionPolicy = sessionPolicy, Provider = "cognito-identity.amazonaws.com", Subject = identityId,
            Audience = "us-east-1:99999999-8888-7777-6666-555555555555",
            Amr = amr == "authenticated"
                ? ["authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool12345", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool12345:CognitoSignIn:sub-1"]
                : ["unauthenticated"],
        };
        var token = await server.Services.GetRequiredService<SessionTokens>().Mint(claims, CancellationToken.None);
        return new Credentials(claims.AccessKeyId, claims.SecretAccessKey, token, claims);
    }

    /// <summary>A request to the API's route as an SDK signs it (service execute-api unless told otherwise).</summary>
    static DefaultHttpContext Signed(Credentials? c, string method, string path, DateTimeOffset at, string service = "execute-api", string body = "")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        http.Request.Host = new HostString("127.0.0.1:5000");
        if (c is null) return http;
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        http.Request.Headers["X-Amz-Date"] = amzDate;
        http.Request.Headers["X-Amz-Security-Token"] = c.Token;
        var headers = new List<KeyValuePair<string, string>> { new("host", "127.0.0.1:5000"), new("x-amz-date", amzDate), new("x-amz-security-token", c.Token) };
        var signature = SigV4Signature.Compute(c.Secret, method, path, [], headers, System.Text.Encoding.UTF8.GetBytes(body), amzDate, "us-east-1", service);
        http.Request.Headers.Authorization = SigV4Signature.Authorization(c.AccessKeyId, amzDate, "us-east-1", service, SigV4Signature.SignedHeaders(headers), signature);
        return http;
    }

    async Task<IamApiAuthorization> Authorize(HttpContext http, string apiPath, string body = "")
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IamApiAuthorizer>()
            .Authorize(http.Request, System.Text.Encoding.UTF8.GetBytes(body), Api, apiPath, CancellationToken.None);
    }

    [Fact]
    public async Task The_roles_policy_decides_execute_api_Invoke_on_the_methods_ARN()
    {
        var role = await Role(Allow($"{Arn}/GET/notes/*"));
        var c = await Session(role);
        var now = server.Clock.GetUtcNow();

        var allowed = await Authorize(Signed(c, "GET", "/api/notes/7", now), "/notes/7");
        Assert.Equal(200, allowed.Status);
        Assert.Equal($"{Arn}/GET/notes/7", allowed.Resource);
        Assert.Equal("Allow statement Invoke", allowed.Deciding);

        var denied = await Authorize(Signed(c, "DELETE", "/api/notes/7", now), "/notes/7");
        Assert.Equal(403, denied.Status);
        Assert.Equal($$"""{"message":"User: arn:aws:sts::000000000000:assumed-role/{{role}}/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke on resource: {{Arn}}/DELETE/notes/7"}""",
            denied.Body);
    }

    [Fact]
    public async Task Policy_variables_give_each_identity_its_own_resources()
    {
        var role = await Role(Allow($"{Arn}/*/users/${{cognito-identity.amazonaws.com:sub}}/*"));
        var c = await Session(role, identityId: "us-east-1:aaaaaaaa-0000-0000-0000-000000000001");
        var now = server.Clock.GetUtcNow();

        Assert.Equal(200, (await Authorize(Signed(c, "PUT", "/api/users/us-east-1:aaaaaaaa-0000-0000-0000-000000000001/profile", now, body: "{}"),
            "/users/us-east-1:aaaaaaaa-0000-0000-0000-000000000001/profile", "{}")).Status);
        Assert.Equal(403, (await Authorize(Signed(c, "PUT", "/api/users/us-east-1:bbbbbbbb-0000-0000-0000-000000000002/profile", now, body: "{}"),
            "/users/us-east-1:bbbbbbbb-0000-0000-0000-000000000002/profile", "{}")).Status);
    }

    [Fact]
    public async Task The_session_policy_scopes_a_guest_down()
    {
        var role = await Role(Allow($"{Arn}/*"));
        var guest = await Session(role, amr: "unauthenticated", sessionPolicy: Allow($"{Arn}/GET/public/*"));
        var now = server.Clock.GetUtcNow();

        Assert.Equal(200, (await Authorize(Signed(guest, "GET", "/api/public/a", now), "/public/a")).Status);
        Assert.Equal(403, (await Authorize(Signed(guest, "GET", "/api/private/a", now), "/private/a")).Status);
    }

    [Fact]
    public async Task The_backend_learns_who_called_as_API_Gateway_names_it()
    {
        var role = await Role(Allow($"{Arn}/*"));
        var c = await Session(role);

        var allowed = await Authorize(Signed(c, "GET", "/api/me", server.Clock.GetUtcNow()), "/me");
        var headers = IamIdentityHeaders.For(allowed.Caller!, "000000000000").ToDictionary(h => h.Key, h => h.Value);

        Assert.Equal("us-east-1:11111111-2222-3333-4444-555555555555", headers["x-amzn-identity-cognito-identity-id"]);
        Assert.Equal("us-east-1:99999999-8888-7777-6666-555555555555", headers["x-amzn-identity-cognito-identity-pool-id"]);
        Assert.Equal("authenticated", headers["x-amzn-identity-cognito-authentication-type"]);
        Assert.Equal("cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool12345,cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool12345:CognitoSignIn:sub-1",
            headers["x-amzn-identity-cognito-authentication-provider"]);
        Assert.Equal("AROAEXAMPLE:CognitoIdentityCredentials", headers["x-amzn-identity-caller"]);
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role}/CognitoIdentityCredentials", headers["x-amzn-identity-user-arn"]);
        Assert.Equal(c.AccessKeyId, headers["x-amzn-identity-access-key"]);
    }

    [Fact]
    public async Task Bad_signatures_answer_API_Gateways_403_messages()
    {
        var role = await Role(Allow($"{Arn}/*"));
        var c = await Session(role);
        var now = server.Clock.GetUtcNow();

        Assert.Equal("""{"message":"Missing Authentication Token"}""", (await Authorize(Signed(null, "GET", "/api/x", now), "/x")).Body);

        var s3 = await Authorize(Signed(c, "GET", "/api/x", now, service: "s3"), "/x");
        Assert.Equal(403, s3.Status);
        Assert.Contains("Credential should be scoped to correct service: 'execute-api'", s3.Message, StringComparison.Ordinal);

        var skewed = await Authorize(Signed(c, "GET", "/api/x", now.AddMinutes(-16)), "/x");
        Assert.Equal(403, skewed.Status);
        Assert.StartsWith("Signature expired", skewed.Message, StringComparison.Ordinal);

        var tampered = Signed(c, "GET", "/api/x", now);
        tampered.Request.Path = "/api/y";
        var mismatch = await Authorize(tampered, "/y");
        Assert.Equal(403, mismatch.Status);
        Assert.StartsWith("The request signature we calculated does not match", mismatch.Message, StringComparison.Ordinal);

        foreach (var header in new[] { "AWS4-HMAC-SHA256 garbage", "Bearer abc", "AWS4-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=0" })
        {
            var malformed = Signed(c, "GET", "/api/x", now);
            malformed.Request.Headers.Authorization = header;
            Assert.Equal(403, (await Authorize(malformed, "/x")).Status);
        }

        var forged = Signed(c, "GET", "/api/x", now);
        forged.Request.Headers["X-Amz-Security-Token"] = "AAAA" + c.Token[4..];
        Assert.Equal("""{"message":"The security token included in the request is invalid."}""", (await Authorize(forged, "/x")).Body);
    }

    [Fact]
    public async Task Expired_credentials_and_deleted_roles_are_refused()
    {
        var role = await Role(Allow($"{Arn}/*"));
        var expired = await Session(role, life: TimeSpan.FromSeconds(-1));
        var refused = await Authorize(Signed(expired, "GET", "/api/x", server.Clock.GetUtcNow()), "/x");
        Assert.Equal("""{"message":"The security token included in the request is expired"}""", refused.Body);

        var orphan = await Session("no-such-role");
        Assert.Equal(403, (await Authorize(Signed(orphan, "GET", "/api/x", server.Clock.GetUtcNow()), "/x")).Status);
    }
}
