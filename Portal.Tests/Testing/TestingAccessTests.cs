using System.Net;
using System.Text;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, testing mode's switch and who may use it: off, its routes do not exist; on, loopback clients need
/// nothing, others an administrator's SigV4 key or the configured bearer token.</summary>
public sealed class TestingAccessTests
{
    /// <summary>Every route of testing mode, with a method it answers.</summary>
    public static readonly TheoryData<string, string> Routes = new()
    {
        { "GET", "/_portal/testing" },
        { "GET", "/_portal/testing/mailbox" },
        { "DELETE", "/_portal/testing/mailbox" },
        { "POST", "/_portal/testing/pools/us-east-1_Nonexist0/reset" },
        { "POST", "/_portal/testing/pools/us-east-1_Nonexist0/clone" },
        { "POST", "/_portal/testing/pools/us-east-1_Nonexist0/users" },
        { "POST", "/_portal/testing/pools/us-east-1_Nonexist0/sessions" },
        { "GET", "/_portal/testing/pools/us-east-1_Nonexist0/clock" },
        { "PUT", "/_portal/testing/pools/us-east-1_Nonexist0/clock" },
        { "POST", "/_portal/testing/pools/us-east-1_Nonexist0/clock/advance" },
        { "DELETE", "/_portal/testing/pools/us-east-1_Nonexist0/clock" },
        { "GET", "/_aws/ses" },
        { "DELETE", "/_aws/ses" },
        { "GET", "/_aws/sns/sms-messages" },
        { "DELETE", "/_aws/sns/sms-messages" },
    };

    static HttpRequestMessage Request(string method, string path, string baseUrl) =>
        new(new HttpMethod(method), baseUrl + path) { Content = method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null };

    [Fact]
    public async Task With_testing_mode_off_every_route_is_404()
    {
        using var server = new TestingOffServer();
        using var http = new HttpClient();
        foreach (var row in Routes)
        {
            var (method, path) = ((string)row[0], (string)row[1]);
            using var response = await http.SendAsync(Request(method, path, server.BaseUrl));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_client_on_another_machine_is_refused_without_credentials_and_let_in_with_the_token_or_an_admin_key()
    {
        using var server = new RemoteClientServer();
        using var http = new HttpClient();
        foreach (var row in Routes)
        {
            var (method, path) = ((string)row[0], (string)row[1]);
            using var response = await http.SendAsync(Request(method, path, server.BaseUrl));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {body}");
            Assert.Contains("AccessDeniedException", body);
        }
        // A header claiming loopback changes nothing: the connection's address decides.
        using (var forwarded = Request("GET", "/_portal/testing/mailbox", server.BaseUrl))
        {
            forwarded.Headers.Add("X-Forwarded-For", "127.0.0.1");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forwarded)).StatusCode);
        }
        using (var wrong = Request("GET", "/_portal/testing/mailbox", server.BaseUrl))
        {
            wrong.Headers.Authorization = new("Bearer", "not-the-token");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(wrong)).StatusCode);
        }
        using (var bearer = Request("GET", "/_portal/testing/mailbox", server.BaseUrl))
        {
            bearer.Headers.Authorization = new("Bearer", TestingServer.Token);
            var response = await http.SendAsync(bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"Messages\"", await response.Content.ReadAsStringAsync());
        }

        // An administrator's SigV4 key, as the AWS SDKs sign.
        var amzDate = server.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var uri = new Uri(server.BaseUrl + "/_portal/testing/mailbox");
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.Authority), new("x-amz-date", amzDate) };
        var signature = SigV4Signature.Compute(PortalServer.SecretAccessKey, "GET", uri.AbsolutePath, [], headers, [], amzDate, "us-east-1", "execute-api");
        using var signed = new HttpRequestMessage(HttpMethod.Get, uri);
        signed.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        signed.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", "execute-api", SigV4Signature.SignedHeaders(headers), signature));
        var ok = await http.SendAsync(signed);
        Assert.True(ok.StatusCode == HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());

        // A wrong signature is refused.
        using var forged = new HttpRequestMessage(HttpMethod.Get, uri);
        forged.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        forged.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", "execute-api", SigV4Signature.SignedHeaders(headers), new string('0', 64)));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task On_loopback_the_routes_answer_without_credentials_and_name_each_other()
    {
        using var server = new TestingServer();
        var status = await server.Get("/_portal/testing");
        Assert.True(status.GetProperty("Enabled").GetBoolean());
        Assert.Contains("POST /_portal/testing/pools/{poolId}/sessions", status.GetProperty("Routes").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void Production_refuses_to_start_with_testing_mode_on_unless_allowed_explicitly()
    {
        var e = Assert.ThrowsAny<Exception>(() => new ProductionWithTestingMode());
        Assert.Contains("Portal:Testing:Enabled is true in Production", e.ToString());
        Assert.Contains("Portal__Testing__AllowInProduction=true", e.ToString());
    }
}
