using System.Net;
using System.Text.RegularExpressions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>Issue 14: a pool domain reached host-based (<c>{domain}.{AuthDomain}</c>, as Amplify's <c>oauth.domain</c>)
/// keeps its links, form posts, redirects and session cookie on that origin; shared files still load; in Development
/// <c>*.localhost</c> is host-based out of the box, and no other Host is answered.</summary>
public sealed class HostBasedDomainTests(HostedUiFixture f) : IClassFixture<HostedUiFixture>
{
    string Host => $"{f.Domain}.auth.portal.test";
    string Query => $"client_id={f.SecondClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}";

    static HttpRequestMessage Request(HttpMethod method, string url, string host, string? cookies = null, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body };
        request.Headers.Host = host;
        if (cookies is not null) request.Headers.Add("Cookie", cookies);
        return request;
    }

    static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var c) ? c.Select(v => v.Split(';')[0]) : []);

    [Fact]
    public async Task Pages_reached_host_based_link_post_redirect_and_keep_their_session_on_that_origin()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var email = await f.User();

        var page = await http.SendAsync(Request(HttpMethod.Get, $"{f.Server.BaseUrl}/login?{Query}", Host));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains($"action=\"/login?client_id={f.SecondClientId}&", html);
        Assert.Contains($"href=\"/signup?client_id={f.SecondClientId}&", html);
        Assert.Contains("href=\"/hosted-ui/base.css\"", html);
        Assert.DoesNotContain($"/{f.Domain}/", html);
        // Shared files load from the same origin, not from under the domain.
        var css = await http.SendAsync(Request(HttpMethod.Get, $"{f.Server.BaseUrl}/hosted-ui/base.css", Host));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);

        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await http.SendAsync(Request(HttpMethod.Post, $"{f.Server.BaseUrl}/login?{Query}", Host, Cookies(page),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["username"] = email, ["password"] = "Correct-Horse-9",
            })));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith(f.SecondApp.CallbackUrl + "?code=", signedIn.Headers.Location!.ToString());
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => !c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("path=/;", session.ToLowerInvariant() + ";");
        Assert.DoesNotContain($"path=/{f.Domain}", session);

        // The session signs the next authorization in on the same origin, without the form.
        var again = await http.SendAsync(Request(HttpMethod.Get, $"{f.Server.BaseUrl}/oauth2/authorize?{Query}", Host, Cookies(signedIn)));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/login?", again.Headers.Location!.OriginalString);
        var fromSession = await http.SendAsync(Request(HttpMethod.Get, $"{f.Server.BaseUrl}{again.Headers.Location}", Host, Cookies(signedIn)));
        Assert.Equal(HttpStatusCode.Redirect, fromSession.StatusCode);
        Assert.StartsWith(f.SecondApp.CallbackUrl + "?code=", fromSession.Headers.Location!.ToString());

        // /logout on that origin ends the session where it lives.
        var logout = await http.SendAsync(Request(HttpMethod.Get,
            $"{f.Server.BaseUrl}/logout?client_id={f.SecondClientId}&logout_uri={Uri.EscapeDataString(f.SecondApp.SignedOutUrl)}", Host, Cookies(signedIn)));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(f.SecondApp.SignedOutUrl, logout.Headers.Location!.ToString());
        var cleared = logout.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared);
        Assert.Contains("path=/;", cleared.ToLowerInvariant() + ";");

        // Path-based on Portal's own host, the same domain keeps its cookie under /{domain}.
        var pathBased = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/login?{Query}");
        Assert.Contains($"action=\"/{f.Domain}/login?", WebUtility.HtmlDecode(await pathBased.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task In_development_pool_domains_are_host_based_on_localhost_and_other_hosts_are_refused()
    {
        using var server = new PortalServer();
        var demo = server.Services.GetService(typeof(global::Portal.Server.Bootstrap)) as global::Portal.Server.Bootstrap;
        var created = demo!.Created!;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var query = $"client_id={created.DemoClientId}&response_type=code&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                    + $"&code_challenge_method=S256&redirect_uri={Uri.EscapeDataString($"{server.BaseUrl}/demo/callback")}";
        var page = await http.SendAsync(Request(HttpMethod.Get, $"{server.BaseUrl}/login?{query}", $"{created.DemoDomain}.localhost:{server.Port}"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("action=\"/login?", await page.Content.ReadAsStringAsync());

        foreach (var host in new[] { "portal.evil.example", $"{created.DemoDomain}.localhost.evil.example" })
        {
            var refused = await http.SendAsync(Request(HttpMethod.Get, $"{server.BaseUrl}/login?{query}", host));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.DoesNotContain("<form", await refused.Content.ReadAsStringAsync());
        }
    }
}
