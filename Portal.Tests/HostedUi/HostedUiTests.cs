using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>End users on the hosted sign-in pages, driven through real ASP.NET Core OIDC apps in chromium.</summary>
public sealed partial class HostedUiTests(HostedUiFixture f) : IClassFixture<HostedUiFixture>
{
    async Task<IPage> Page(bool javaScript = true)
    {
        var context = await f.Browser.Instance.NewContextAsync(new() { JavaScriptEnabled = javaScript, ViewportSize = new() { Width = 1280, Height = 800 } });
        return await context.NewPageAsync();
    }

    static async Task SignIn(IPage page, string email, string password)
    {
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task Oidc_app_signs_a_user_in_through_the_hosted_ui_and_reads_the_claims()
    {
        var email = await f.User();
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        Assert.StartsWith($"{f.Server.BaseUrl}/{f.Domain}/login", page.Url);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-login.png") });
        await SignIn(page, email, "Correct-Horse-9");
        // Polled: the page may already be there when the wait starts (a wait for its navigation would miss it).
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        var claims = await page.Locator("#claims").InnerTextAsync();
        Assert.Contains($"email={email}", claims);
        Assert.Contains("email_verified=true", claims);
        Assert.Contains("token_use=id", claims);
        Assert.Contains("cognito:username=", claims);
    }

    [Fact]
    public async Task The_same_sign_in_works_with_javascript_disabled()
    {
        var email = await f.User();
        var page = await Page(javaScript: false);
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email, "Correct-Horse-9");
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());
    }

    [Fact]
    public async Task Wrong_password_says_so_on_the_page_and_keeps_the_username()
    {
        var email = await f.User();
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email, "Wrong-Horse-1");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Incorrect username or password.");
        await Assertions.Expect(page.GetByLabel("Username or email")).ToHaveValueAsync(email);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-login-error.png") });
    }

    [Fact]
    public async Task Sign_up_with_a_code_then_sign_in()
    {
        var email = $"new-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign up" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("weak");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(page.Locator("#password-error")).ToContainTextAsync("Password not long enough");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-signup-error.png") });

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Brand-New-Pass-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We sent a code" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-confirm.png") });

        await page.GetByLabel("Verification code").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm account" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToBeVisibleAsync();

        var code = HostedUiFixture.CodeIn(await f.LastMessageTo(email));
        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your account is confirmed");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Brand-New-Pass-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Polled: the page may already be there when the wait starts (a wait for its navigation would miss it).
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());
    }

    [Fact]
    public async Task An_invited_user_chooses_a_new_password_on_first_sign_in()
    {
        var email = $"invited-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        await f.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = f.PoolId, Username = email, TemporaryPassword = "Temporary-Pass-1", MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email, "Temporary-Pass-1");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Chosen-Pass-2");
        await page.GetByLabel("Enter the new password again").FillAsync("Chosen-Pass-3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirmPassword-error")).ToHaveTextAsync("The two passwords are not the same.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-new-password.png") });
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Chosen-Pass-2");
        await page.GetByLabel("Enter the new password again").FillAsync("Chosen-Pass-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());
    }

    [Fact]
    public async Task Forgot_password_resets_it_with_the_emailed_code()
    {
        var email = await f.User("Old-Password-1");
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-forgot-password.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset my password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        var code = HostedUiFixture.CodeIn(await f.LastMessageTo(email));
        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("New-Password-2");
        await page.GetByLabel("Enter the new password again").FillAsync("New-Password-2");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-confirm-forgot-password.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password was changed");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("New-Password-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task Single_sign_on_across_two_clients_then_logout_ends_it()
    {
        var email = await f.User();
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email, "Correct-Horse-9");
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });

        // The second app (a confidential client) gets the user without a form: the pool's session cookie signs them in.
        await page.GotoAsync(f.SecondApp.BaseUrl + "/");
        await Assertions.Expect(page).ToHaveURLAsync(f.SecondApp.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());

        // Sign out through the first app: Portal's /logout clears the session and returns to the registered logout_uri.
        await page.GotoAsync(f.App.BaseUrl + "/logout");
        await Assertions.Expect(page).ToHaveURLAsync(f.App.SignedOutUrl, new() { Timeout = 30_000 });
        await page.GotoAsync(f.SecondApp.BaseUrl + "/?again=1");
        // The second app still has its own cookie; a fresh visitor of the hosted UI must see the form again.
        var fresh = await page.Context.NewPageAsync();
        await page.Context.ClearCookiesAsync(new() { Domain = "127.0.0.1", Name = "sample-" + new Uri(f.SecondApp.BaseUrl).Port });
        await fresh.GotoAsync(f.SecondApp.BaseUrl + "/");
        Assert.StartsWith($"{f.Server.BaseUrl}/{f.Domain}/login", fresh.Url);
    }

    [Fact]
    public async Task Unknown_client_and_unregistered_redirect_are_explained_not_redirected()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var unknown = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/oauth2/authorize?client_id=nosuchclient&response_type=code&redirect_uri=https://evil.example/cb");
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode); // authorize hands over to /login, which explains
        var login = await http.GetAsync(f.Server.BaseUrl + unknown.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("unknown client_id", await login.Content.ReadAsStringAsync());

        var mismatch = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/login?client_id={f.ClientId}&response_type=code&redirect_uri=https://evil.example/cb");
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Null(mismatch.Headers.Location);
        Assert.Contains("redirect_uri", await mismatch.Content.ReadAsStringAsync());

        var noPkce = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/login?client_id={f.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.App.CallbackUrl)}&state=s1");
        Assert.Equal(HttpStatusCode.Redirect, noPkce.StatusCode);
        Assert.StartsWith(f.App.CallbackUrl + "?error=invalid_request", noPkce.Headers.Location!.OriginalString);
        Assert.Contains("state=s1", noPkce.Headers.Location.OriginalString);
    }

    [Fact]
    public async Task A_pool_domain_is_also_served_host_based()
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"{f.Server.BaseUrl}/login?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}");
        request.Headers.Host = $"{f.Domain}.auth.portal.test";
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sign in to your account", await response.Content.ReadAsStringAsync());

        var unknown = new HttpRequestMessage(HttpMethod.Get, $"{f.Server.BaseUrl}/login?client_id={f.SecondClientId}");
        unknown.Headers.Host = "no-such-domain.auth.portal.test";
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(unknown)).StatusCode);
    }

    [Fact]
    public async Task Login_page_sends_security_headers()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/login?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("__RequestVerificationToken", html);
    }

    [Fact]
    public async Task Pages_speak_the_language_the_browser_asks_for()
    {
        using var http = new HttpClient();
        var url = $"{f.Server.BaseUrl}/{f.Domain}/login?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}";
        foreach (var (lang, word) in new[] { ("de-DE,de;q=0.9", "Anmelden"), ("fr", "Se connecter"), ("es", "Iniciar sesión"), ("ja", "サインイン") })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptLanguage.ParseAdd(lang);
            var html = WebUtility.HtmlDecode(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
            Assert.Contains(word, html);
        }
        var byParameter = await http.GetStringAsync(url + "&ui_locales=de");
        Assert.Contains("lang=\"de\"", byParameter);
    }

    [Fact]
    public async Task Hosted_pages_have_no_serious_accessibility_violations()
    {
        var query = $"?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}";
        foreach (var path in new[] { "login", "signup", "forgotPassword", "confirm", "confirmForgotPassword" })
        {
            var page = await Page();
            await page.GotoAsync($"{f.Server.BaseUrl}/{f.Domain}/{path}{query}&username=someone%40example.com");
            var violations = await Axe.SeriousViolations(page);
            Assert.True(violations.Count == 0, $"{path}: " + string.Join("\n", violations));
            await page.Context.CloseAsync();
        }
    }
}
