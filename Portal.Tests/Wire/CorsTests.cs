using System.Net;
using System.Text;
using Portal.Client.Contract;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Wire;

/// <summary>CORS as a browser app on another origin meets it: Amplify's preflight before every Cognito call, the OAuth
/// endpoints an SPA calls, and the admin portal that stays same-origin.</summary>
[Collection(ServerCollection.Name)]
public sealed class CorsTests(PortalServer server) : IDisposable
{
    const string Origin = "http://localhost:5173";
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl + "/") };

    public void Dispose() => http.Dispose();

    Task<HttpResponseMessage> Preflight(string path, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return http.SendAsync(request);
    }

    static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : "";

    [Fact]
    public async Task The_API_answers_Amplifys_preflight_and_exposes_the_headers_the_SDK_reads()
    {
        var preflight = await Preflight("/", "POST", "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,cache-control");
        Assert.True(preflight.IsSuccessStatusCode, $"preflight answered {(int)preflight.StatusCode}");
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(preflight, "Access-Control-Allow-Methods"));
        foreach (var h in new[] { "content-type", "x-amz-target", "x-amz-user-agent", "authorization", "x-amz-date", "x-amz-security-token",
                     "amz-sdk-invocation-id", "amz-sdk-request", "cache-control" })
            Assert.Contains(h, Header(preflight, "Access-Control-Allow-Headers"));

        // The call itself: an error the SDK must be able to read.
        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("""{"ClientId":"nosuchclient","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{}}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth");
        request.Headers.Add("Origin", Origin);
        var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("*", Header(answer, "Access-Control-Allow-Origin"));
        foreach (var h in new[] { "x-amzn-requestid", "x-amzn-errortype", "x-amzn-errormessage", "date" })
            Assert.Contains(h, Header(answer, "Access-Control-Expose-Headers"));
        Assert.NotEqual("", Header(answer, "x-amzn-RequestId"));
        Assert.Equal("ResourceNotFoundException", Header(answer, "x-amzn-ErrorType"));
    }

    [Fact]
    public async Task The_OAuth_endpoints_and_discovery_answer_browser_apps()
    {
        var kit = new AuthKit(server);
        var app = await kit.Pool();
        var domain = $"cors{Guid.NewGuid():n}"[..20];
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        foreach (var path in new[] { $"/{domain}/oauth2/token", $"/{domain}/oauth2/revoke", $"/{domain}/oauth2/userInfo" })
        {
            var preflight = await Preflight(path, "POST", "content-type,authorization");
            Assert.True(preflight.IsSuccessStatusCode, $"{path} preflight answered {(int)preflight.StatusCode}");
            Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
            Assert.Contains("authorization", Header(preflight, "Access-Control-Allow-Headers"));
        }
        var token = new HttpRequestMessage(HttpMethod.Post, $"/{domain}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = "x" }),
        };
        token.Headers.Add("Origin", Origin);
        var refused = await http.SendAsync(token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("*", Header(refused, "Access-Control-Allow-Origin"));

        var jwks = await Preflight($"/{app.PoolId}/.well-known/jwks.json", "GET", "cache-control");
        Assert.Equal("*", Header(jwks, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cognito_Syncs_routes_answer_a_browser_apps_preflight_and_let_it_read_errors()
    {
        // What aws-sdk v2 (under amazon-cognito-js) sends before a signed UpdateRecords, ListRecords or DeleteDataset.
        const string path = "/identitypools/us-east-1:00000000-0000-0000-0000-000000000000/identities/us-east-1:11111111-1111-1111-1111-111111111111/datasets/prefs";
        foreach (var method in new[] { "GET", "POST", "DELETE" })
        {
            var preflight = await Preflight(path, method, "authorization,content-type,x-amz-date,x-amz-security-token,x-amz-user-agent,x-amz-client-context");
            Assert.True(preflight.IsSuccessStatusCode, $"{method} preflight answered {(int)preflight.StatusCode}");
            Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
            Assert.Contains(method, Header(preflight, "Access-Control-Allow-Methods"));
            foreach (var h in new[] { "authorization", "x-amz-date", "x-amz-security-token", "x-amz-client-context" })
                Assert.Contains(h, Header(preflight, "Access-Control-Allow-Headers"));
        }

        // An unsigned call: the service's own error, readable by the page.
        var request = new HttpRequestMessage(HttpMethod.Get, path + "/records");
        request.Headers.Add("Origin", Origin);
        var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal("*", Header(answer, "Access-Control-Allow-Origin"));
        Assert.Contains("x-amzn-errortype", Header(answer, "Access-Control-Expose-Headers"));
        Assert.NotEqual("", Header(answer, "x-amzn-ErrorType"));
    }

    [Fact]
    public async Task The_admin_portal_and_hosted_pages_stay_same_origin()
    {
        foreach (var path in new[] { "/pools", "/admin/login", "/demo/login", "/api/anything" })
        {
            var preflight = await Preflight(path, "POST", "content-type");
            Assert.Equal("", Header(preflight, "Access-Control-Allow-Origin"));
        }
    }
}
