using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Server.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>Every answer of the hosted UI, pages, redirects, JSON and errors alike, carries the CSP (with form-action and
/// frame-ancestors) and the frame headers; only a valid preview token lets the portal frame a page.</summary>
public sealed class HostedUiHeadersTests(HostedUiFixture f) : IClassFixture<HostedUiFixture>
{
    string Query(string? client = null, string? redirect = null) =>
        $"client_id={client ?? f.SecondClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(redirect ?? f.SecondApp.CallbackUrl)}";

    static void AssertHeaders(HttpResponseMessage response, string what)
    {
        var csp = response.Headers.TryGetValues("Content-Security-Policy", out var c) ? c.Single() : null;
        Assert.True(csp is not null, $"{what} ({(int)response.StatusCode}) has no CSP");
        Assert.True(csp.Contains("form-action 'self'") && csp.Contains("frame-ancestors 'none'") && csp.Contains("default-src 'none'"),
            $"{what} ({(int)response.StatusCode}) CSP: {csp}");
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var x) && x.Single() == "DENY", $"{what} has no X-Frame-Options: DENY");
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var n) && n.Single() == "nosniff", $"{what} has no nosniff");
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var r) && r.Single() == "no-referrer", $"{what} has no Referrer-Policy");
    }

    [Fact]
    public async Task Every_hosted_answer_carries_the_csp_and_frame_headers_errors_and_redirects_included()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var ui = $"{f.Server.BaseUrl}/{f.Domain}";
        var gets = new[]
        {
            $"{ui}/login?{Query()}", $"{ui}/login", $"{ui}/login?{Query(redirect: "https://evil.example/cb")}",
            $"{ui}/signup?{Query()}", $"{ui}/confirm?{Query()}&username=a%40example.com", $"{ui}/forgotPassword?{Query()}",
            $"{ui}/confirmForgotPassword?{Query()}&username=a%40example.com", $"{ui}/mfa?{Query()}", $"{ui}/error?{Query()}",
            $"{ui}/oauth2/authorize?{Query()}", $"{ui}/oauth2/authorize?{Query()}&prompt=none", $"{ui}/oauth2/authorize?client_id=nosuch&prompt=none",
            $"{ui}/oauth2/authorize?{Query()}&identity_provider=NoSuchIdp", $"{ui}/oauth2/userInfo", $"{ui}/ui.css?client_id=ALL",
            $"{ui}/logout", $"{ui}/logout?client_id={f.SecondClientId}", $"{ui}/logout?client_id={f.SecondClientId}&logout_uri={Uri.EscapeDataString(f.SecondApp.SignedOutUrl)}",
            $"{ui}/logout?client_id={f.SecondClientId}&logout_uri=https%3A%2F%2Fevil.example%2F",
            $"{ui}/federation/start?{Query()}&identity_provider=NoSuchIdp", $"{f.Server.BaseUrl}/oauth2/idpresponse?state=forged",
            $"{ui}/oauth2/idpresponse?state=forged", $"{ui}/saml2/metadata", $"{ui}/no-such-page", $"{f.Server.BaseUrl}/no-such-domain-x/login?{Query()}",
        };
        foreach (var url in gets) AssertHeaders(await http.GetAsync(url), "GET " + url);
        // A branding asset keeps its stricter sandbox policy and is not framed either.
        var asset = await http.GetAsync($"{f.Server.BaseUrl}/assets/no-such-asset");
        Assert.Contains("sandbox", asset.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", asset.Headers.GetValues("X-Frame-Options").Single());

        var posts = new (string Url, HttpContent Body)[]
        {
            ($"{ui}/login?{Query()}", Form(("username", "a@example.com"), ("password", "x"))), // no antiforgery token
            ($"{ui}/signup?{Query()}", Form(("username", "a@example.com"))),
            ($"{ui}/mfa?{Query()}", Form(("code", "123456"))),
            ($"{ui}/login?{Query()}", new StringContent("username=%zz%00&password=%", Encoding.ASCII, "application/x-www-form-urlencoded")),
            ($"{ui}/login?{Query()}", Multipart("--broken")),
            ($"{ui}/oauth2/token", Form(("grant_type", "authorization_code"), ("client_id", f.ClientId), ("code", "forged"))),
            ($"{ui}/oauth2/revoke", Form(("token", "forged"))),
            ($"{ui}/federation/identifier?{Query()}", Form(("identifier", "a@example.com"))),
            ($"{f.Server.BaseUrl}/saml2/idpresponse", Form(("SAMLResponse", "forged"), ("RelayState", "forged"))),
            ($"{ui}/saml2/logout", Form(("SAMLResponse", "forged"))),
        };
        foreach (var (url, body) in posts) AssertHeaders(await http.PostAsync(url, body), "POST " + url);

        // A pool domain served host-based, and an unknown one.
        foreach (var host in new[] { $"{f.Domain}.auth.portal.test", "no-such-domain.auth.portal.test" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{f.Server.BaseUrl}/login?{Query()}");
            request.Headers.Host = host;
            AssertHeaders(await http.SendAsync(request), "host " + host);
        }
    }

    [Fact]
    public async Task Form_action_allows_the_apps_checked_redirect_uri_and_nothing_else()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var ok = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/login?{Query()}");
        Assert.Contains($"form-action 'self' {new Uri(f.SecondApp.CallbackUrl).GetLeftPart(UriPartial.Authority)};", ok.Headers.GetValues("Content-Security-Policy").Single());
        var evil = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/login?{Query(redirect: "https://evil.example/cb")}");
        Assert.Contains("form-action 'self';", evil.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_preview_without_a_valid_token_of_its_pool_cannot_be_framed()
    {
        using var http = new HttpClient();
        var login = $"{f.Server.BaseUrl}/{f.Domain}/login?{Query()}";
        var previews = f.Server.Services.GetRequiredService<BrandingPreview>();
        var foreign = previews.Create(new BrandingDraft { UserPoolId = "us-east-1_Other0000" });
        foreach (var preview in new[] { "", "&preview=", "&preview=forged-token", "&preview=" + foreign })
            AssertHeaders(await http.GetAsync(login + preview), "preview " + preview);

        var valid = await http.GetAsync(login + "&preview=" + previews.Create(new BrandingDraft { UserPoolId = f.PoolId }));
        Assert.Contains("frame-ancestors 'self'", valid.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(valid.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task In_chromium_a_page_outside_the_portal_cannot_frame_the_sign_in_page()
    {
        var page = await f.Browser.NewPage();
        // The sample app is another origin: it frames the login page (with a forged preview token) as a clickjacking page would.
        await page.GotoAsync(f.SecondApp.BaseUrl + "/signed-out");
        var login = $"{f.Server.BaseUrl}/{f.Domain}/login?{Query()}&preview=forged-token";
        var response = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync(
            "url => { const f = document.createElement('iframe'); f.src = url; document.body.appendChild(f); }", login),
            r => r.Url.StartsWith(login[..login.IndexOf('?')], StringComparison.Ordinal));
        Assert.Equal(200, response.Status); // the page was served; chromium refuses to show it in the frame
        // The frame has finished with it: its document (chromium's error page in its place) has loaded.
        var framed = await (await page.WaitForSelectorAsync("iframe"))!.ContentFrameAsync();
        await framed!.WaitForLoadStateAsync(LoadState.Load);
        foreach (var frame in page.Frames.Where(fr => fr != page.MainFrame))
            Assert.Equal(0, await frame.Locator("input[name=username]").CountAsync());
    }

    static ByteArrayContent Multipart(string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        return content;
    }

    static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
}
