using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Testing;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, the built-in test IdP: a pool signs users in through it with Portal's ordinary OIDC federation; its
/// token endpoint wants the client secret and the PKCE verifier, and Portal refuses a tampered state; off, it is 404.</summary>
[Collection(TestingCollection.Name)]
public sealed partial class TestIdpTests(TestingServer server)
{
    const string Callback = "https://app.example/callback";

    /// <summary>A browser at the HTTP level: cookies kept, redirects followed one at a time.</summary>
    sealed class Browser : IDisposable
    {
        readonly HttpClient client = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

        public sealed record Step(HttpStatusCode Status, Uri Url, Uri? Location, string Body);

        public async Task<Step> Send(HttpMethod method, string url, Dictionary<string, string>? form = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = form is null ? null : new FormUrlEncodedContent(form) };
            using var response = await client.SendAsync(request);
            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(request.RequestUri!, l)) : null;
            return new Step(response.StatusCode, request.RequestUri!, location, await response.Content.ReadAsStringAsync());
        }

        /// <summary>Follows redirects until a page, or a location <paramref name="stop"/> names.</summary>
        public async Task<Step> Follow(Step step, Func<Uri, bool> stop)
        {
            for (var i = 0; i < 20 && step.Location is { } next && !stop(next); i++) step = await Send(HttpMethod.Get, next.ToString());
            return step;
        }

        public void Dispose() => client.Dispose();
    }

    static string? Query(Uri? url, string name) => url is null ? null : QueryHelpers.ParseQuery(url.Query).TryGetValue(name, out var v) ? v.ToString() : null;

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex Hidden();

    static Dictionary<string, string> HiddenFields(string html) =>
        Hidden().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

    static bool AtIdp(Uri u) =>
        u.AbsolutePath.EndsWith("/_portal/testing/idp/authorize", StringComparison.Ordinal) || u.ToString().StartsWith(Callback, StringComparison.Ordinal);

    async Task<(string PoolId, string ClientId, string Domain)> PoolWithTestIdp()
    {
        var domain = "tidp-" + Guid.NewGuid().ToString("n")[..8];
        var (poolId, clientId) = await server.Pool(domain);
        var added = await server.Post($"/_portal/testing/pools/{poolId}/test-idp", new { ClientId = clientId });
        Assert.Equal("TestIdP", added.GetProperty("ProviderName").GetString());
        Assert.Equal(server.BaseUrl + "/_portal/testing/idp", added.GetProperty("Issuer").GetString());
        return (poolId, clientId, domain);
    }

    string AuthorizeUrl(string domain, string clientId, string state = "app-state") =>
        $"{server.BaseUrl}/{domain}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid+email" +
        $"&redirect_uri={Uri.EscapeDataString(Callback)}&state={state}&identity_provider=TestIdP" +
        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

    [Fact]
    public async Task A_new_email_signs_in_through_the_test_idp_and_becomes_a_federated_user_with_its_email_mapped()
    {
        var (poolId, clientId, domain) = await PoolWithTestIdp();
        // The pool's clock runs two days ahead: the IdP's tokens are fresh on the pool's time.
        await server.Post($"/_portal/testing/pools/{poolId}/clock/advance", new { Seconds = 2 * 24 * 3600 });
        var provider = await server.Cognito.Send(new DescribeIdentityProviderRequest { UserPoolId = poolId, ProviderName = "TestIdP" });
        Assert.Equal("OIDC", provider.IdentityProvider!.ProviderType);
        Assert.Equal(server.BaseUrl + "/_portal/testing/idp", provider.IdentityProvider.ProviderDetails!["oidc_issuer"]);
        var client = await server.Cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = clientId });
        Assert.Contains("TestIdP", client.UserPoolClient!.SupportedIdentityProviders!);

        using var browser = new Browser();
        var toIdp = await browser.Follow(await browser.Send(HttpMethod.Get, AuthorizeUrl(domain, clientId)), AtIdp);
        Assert.True(toIdp.Location is { } at && at.AbsolutePath.EndsWith("/idp/authorize", StringComparison.Ordinal), $"{toIdp.Status} {toIdp.Location} {toIdp.Body}");
        var page = await browser.Send(HttpMethod.Get, toIdp.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<label for=\"email\">Email</label>", page.Body);
        Assert.Contains(">Sign in as this user</button>", page.Body);
        var form = HiddenFields(page.Body);
        form["email"] = "fed-new@example.com";
        form["name"] = "Fed New";
        form["action"] = "sign-in";
        var back = await browser.Follow(await browser.Send(HttpMethod.Post, server.BaseUrl + "/_portal/testing/idp/authorize", form),
            u => u.ToString().StartsWith(Callback, StringComparison.Ordinal));
        Assert.True(back.Location?.ToString().StartsWith(Callback, StringComparison.Ordinal) == true, $"{back.Status} {back.Url} {back.Body}");
        Assert.NotNull(Query(back.Location, "code"));
        Assert.Equal("app-state", Query(back.Location, "state"));

        var username = "TestIdP_" + TestIdp.SubjectOf("fed-new@example.com");
        var user = await server.Cognito.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal(UserStatus.ExternalProvider, user.UserStatus);
        Assert.Equal("fed-new@example.com", user.UserAttributes!.Single(a => a.Name == "email").Value);
        Assert.Equal("Fed New", user.UserAttributes!.Single(a => a.Name == "name").Value);
        Assert.Contains("\"providerName\":\"TestIdP\"", user.UserAttributes!.Single(a => a.Name == "identities").Value);
    }

    [Fact]
    public async Task A_state_changed_on_the_way_back_is_refused_and_signs_no_one_in()
    {
        var (poolId, clientId, domain) = await PoolWithTestIdp();
        using var browser = new Browser();
        var toIdp = await browser.Follow(await browser.Send(HttpMethod.Get, AuthorizeUrl(domain, clientId)), AtIdp);
        var form = HiddenFields((await browser.Send(HttpMethod.Get, toIdp.Location!.ToString())).Body);
        form["email"] = "tampered@example.com";
        form["action"] = "sign-in";
        var answer = await browser.Send(HttpMethod.Post, server.BaseUrl + "/_portal/testing/idp/authorize", form);
        Assert.Contains("/oauth2/idpresponse", answer.Location!.AbsolutePath);
        var tampered = Regex.Replace(answer.Location.ToString(), "state=[^&]+", "state=" + Uri.EscapeDataString(form["state"][..^4] + "AAAA"));
        var refused = await browser.Send(HttpMethod.Get, tampered);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Null(Query(refused.Location, "code"));
        Assert.Empty((await server.Cognito.Send(new ListUsersRequest { UserPoolId = poolId })).Users!);
    }

    [Fact]
    public async Task The_token_endpoint_wants_the_client_secret_and_the_PKCE_verifier_and_a_code_is_single_use()
    {
        var (poolId, _, _) = await PoolWithTestIdp();
        var idpClient = TestIdp.ClientIdFor(poolId);
        var secret = await server.Services.GetRequiredService<TestIdp>().ClientSecret(idpClient, CancellationToken.None);
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var redirect = server.BaseUrl + "/oauth2/idpresponse";
        using var browser = new Browser();

        async Task<string> Code()
        {
            var page = await browser.Send(HttpMethod.Get, $"{server.BaseUrl}/_portal/testing/idp/authorize?client_id={idpClient}&response_type=code" +
                $"&scope=openid+email&redirect_uri={Uri.EscapeDataString(redirect)}&state=s1&nonce=n1&code_challenge={challenge}&code_challenge_method=S256");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var form = HiddenFields(page.Body);
            form["email"] = "pkce@example.com";
            form["action"] = "sign-in";
            var answer = await browser.Send(HttpMethod.Post, server.BaseUrl + "/_portal/testing/idp/authorize", form);
            Assert.Equal("s1", Query(answer.Location, "state"));
            return Query(answer.Location, "code")!;
        }

        async Task<(HttpStatusCode Status, JsonElement Body)> Redeem(string code, string withSecret, string withVerifier)
        {
            var step = await browser.Send(HttpMethod.Post, server.BaseUrl + "/_portal/testing/idp/token", new()
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["client_id"] = idpClient,
                ["client_secret"] = withSecret, ["code_verifier"] = withVerifier,
            });
            return (step.Status, JsonDocument.Parse(step.Body).RootElement.Clone());
        }

        var first = await Code();
        var wrongVerifier = await Redeem(first, secret, verifier[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.Status);
        Assert.Equal("invalid_grant", wrongVerifier.Body.GetProperty("error").GetString());
        Assert.Contains("PKCE", wrongVerifier.Body.GetProperty("error_description").GetString());
        // The code was spent by that attempt: the right verifier no longer redeems it.
        Assert.Equal("invalid_grant", (await Redeem(first, secret, verifier)).Body.GetProperty("error").GetString());

        var second = await Code();
        var wrongSecret = await Redeem(second, secret + "x", verifier);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        Assert.Equal("invalid_client", wrongSecret.Body.GetProperty("error").GetString());

        var third = await Code();
        var tokens = await Redeem(third, secret, verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        var idToken = tokens.Body.GetProperty("id_token").GetString()!.Split('.')[1];
        var claims = JsonDocument.Parse(Convert.FromBase64String(idToken.Replace('-', '+').Replace('_', '/').PadRight(idToken.Length + (4 - idToken.Length % 4) % 4, '='))).RootElement;
        Assert.Equal(server.BaseUrl + "/_portal/testing/idp", claims.GetProperty("iss").GetString());
        Assert.Equal(idpClient, claims.GetProperty("aud").GetString());
        Assert.Equal("n1", claims.GetProperty("nonce").GetString());
        Assert.Equal("pkce@example.com", claims.GetProperty("email").GetString());
        using var http = server.Http();
        using var info = new HttpRequestMessage(HttpMethod.Get, "/_portal/testing/idp/userinfo");
        info.Headers.Authorization = new("Bearer", tokens.Body.GetProperty("access_token").GetString());
        var userInfo = await server.Json(await http.SendAsync(info));
        Assert.Equal("pkce@example.com", userInfo.GetProperty("email").GetString());
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/_portal/testing/idp/userinfo");
        forged.Headers.Authorization = new("Bearer", tokens.Body.GetProperty("id_token").GetString()![..^6] + "AAAAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task With_testing_mode_off_the_test_idp_and_its_route_are_404()
    {
        using var off = new TestingOffServer();
        using var http = new HttpClient();
        foreach (var (method, path) in new[]
                 {
                     ("GET", "/_portal/testing/idp/.well-known/openid-configuration"), ("GET", "/_portal/testing/idp/jwks"),
                     ("GET", "/_portal/testing/idp/authorize?client_id=testidp-us-east-1_Nonexist0"), ("POST", "/_portal/testing/idp/authorize"),
                     ("POST", "/_portal/testing/idp/token"), ("GET", "/_portal/testing/idp/userinfo"),
                     ("POST", "/_portal/testing/pools/us-east-1_Nonexist0/test-idp"),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), off.BaseUrl + path)
            {
                Content = method == "POST" ? new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code" }) : null,
            };
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }
    }
}
