using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>End users signing in through the hosted UI's provider buttons to a real OpenID provider, in chromium.</summary>
[Collection(OidcCollection.Name)]
public sealed class OidcSignInTests(OidcFixture f) : IAsyncLifetime
{
    readonly Browser browser = new();
    public Task InitializeAsync() => browser.InitializeAsync();
    public Task DisposeAsync() => browser.DisposeAsync();

    async Task<IPage> SignInAt(string button, string login)
    {
        var page = await browser.NewPage();
        await page.GotoAsync(f.App.BaseUrl + "/");
        Assert.StartsWith($"{f.Server.BaseUrl}/{f.Domain}/login", page.Url);
        await page.GetByRole(AriaRole.Link, new() { Name = button }).ClickAsync();
        await page.Reach(u => u.StartsWith(f.Idp.Issuer, StringComparison.Ordinal));
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        return page;
    }

    [Fact]
    public async Task Oidc_provider_button_signs_the_user_in_as_a_federated_user_with_mapped_attributes()
    {
        var login = "alice-" + Guid.NewGuid().ToString("n")[..6];
        var page = await SignInAt("Continue with CorpIdP", login);
        var claims = await page.Locator("#claims").InnerTextAsync();
        Assert.Contains($"cognito:username=CorpIdP_{login}", claims);
        Assert.Contains($"email={login}@idp.example", claims);
        Assert.Contains("\"providerName\":\"CorpIdP\"", claims);
        Assert.Contains("\"providerType\":\"OIDC\"", claims);
        Assert.Contains($"\"userId\":\"{login}\"", claims);

        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{login}" });
        Assert.Equal("EXTERNAL_PROVIDER", user.UserStatus);
        var attributes = user.UserAttributes!.ToDictionary(a => a.Name!, a => a.Value);
        Assert.Equal($"{login}@idp.example", attributes["email"]);
        Assert.Equal("true", attributes["email_verified"]);
        Assert.Equal("Test", attributes["given_name"]);
        Assert.Equal(login, attributes["family_name"]);
        Assert.Contains("\"issuer\":\"" + f.Idp.Issuer, attributes["identities"]);

        var listed = await f.Cognito.Send(new ListUsersRequest { UserPoolId = f.PoolId, Filter = "cognito:user_status = \"EXTERNAL_PROVIDER\"" });
        Assert.Contains(listed.Users!, u => u.Username == $"CorpIdP_{login}" && u.UserStatus == "EXTERNAL_PROVIDER");
    }

    [Fact]
    public async Task An_administrators_test_sign_in_shows_the_OIDC_claims_and_the_existing_user_without_changing_it()
    {
        var login = "tess-" + Guid.NewGuid().ToString("n")[..6];
        await SignInAt("Continue with CorpIdP", login);
        var before = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{login}" });

        var page = await browser.NewPage();
        await PortalSignIn.AsAdministrator(page, f.Server);
        await page.GotoAsync($"{f.Server.BaseUrl}/federation/test/{f.PoolId}/CorpIdP");
        await page.Reach(u => u.StartsWith(f.Idp.Issuer, StringComparison.Ordinal));
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("federation-test")).ToHaveAttributeAsync("data-outcome", "succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("test-user")).ToContainTextAsync($"CorpIdP_{login}");
        await Assertions.Expect(page.GetByTestId("test-user")).ToContainTextAsync("Exists (EXTERNAL_PROVIDER)");
        await Assertions.Expect(page.GetByTestId("test-mapped").Locator("tr[data-attribute='email']")).ToContainTextAsync($"{login}@idp.example");
        await Assertions.Expect(page.GetByTestId("test-claims")).ToContainTextAsync(f.Idp.Issuer);
        var after = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{login}" });
        Assert.Equal(before.UserLastModifiedDate, after.UserLastModifiedDate);
    }

    [Fact]
    public async Task Google_provider_with_overridden_endpoints_signs_the_user_in()
    {
        var login = "gina-" + Guid.NewGuid().ToString("n")[..6];
        var page = await SignInAt("Continue with Google", login);
        var claims = await page.Locator("#claims").InnerTextAsync();
        Assert.Contains($"cognito:username=Google_{login}", claims);
        Assert.Contains("\"providerType\":\"Google\"", claims);
        Assert.Contains("\"issuer\":null", claims);
        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"Google_{login}" });
        Assert.Equal("EXTERNAL_PROVIDER", user.UserStatus);
        Assert.Contains(user.UserAttributes!, a => a.Name == "name" && a.Value == $"Test {login}");
    }

    [Fact]
    public async Task Login_page_shows_a_button_per_provider_and_the_corporate_email_step_without_accessibility_violations()
    {
        var page = await browser.NewPage();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await Assertions.Expect(page.Locator(".idpButton-customizable.idp-button")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Continue with Google" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Sign in with your corporate email")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-login-federation.png"), FullPage = true });
        Assert.Empty(await Axe.SeriousViolations(page));

        // Identifier-first: an email of the corp.example domain goes straight to CorpIdP.
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("bob@corp.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await page.Reach(u => u.StartsWith(f.Idp.Issuer, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("input[name=login]")).ToBeVisibleAsync();
    }
}
