using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using MfaEngine = Portal.Server.Auth.Mfa;

namespace Portal.Tests.HostedUi;

/// <summary>The hosted UI's second sign-in step in chromium, through a real ASP.NET Core OIDC app: an authenticator's
/// code, a code by email, a choice between factors, and the setup of an authenticator when the pool requires MFA.</summary>
public sealed class HostedMfaTests(HostedUiFixture f) : IClassFixture<HostedUiFixture>
{
    async Task<IPage> Page()
    {
        var context = await f.Browser.Instance.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    Task PoolMfa(string mode, bool email) => f.Cognito.Send(new SetUserPoolMfaConfigRequest
    {
        UserPoolId = f.PoolId, MfaConfiguration = mode, SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
        EmailMfaConfiguration = email ? new EmailMfaConfigType { Subject = "Your hosted-ui code", Message = "Your sign-in code is {####}" } : null,
    });

    /// <summary>Gives the user an authenticator (as AssociateSoftwareToken and VerifySoftwareToken would) and turns the
    /// factors on; returns the authenticator's secret.</summary>
    async Task<string> Factors(string email, bool authenticator, bool byEmail)
    {
        await using var scope = f.Server.Services.CreateAsyncScope();
        var (secret, stored) = scope.ServiceProvider.GetRequiredService<MfaEngine>().NewSecret();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var user = await db.Users.SingleAsync(u => u.UserPoolId == f.PoolId && u.Email == email);
        var settings = MfaEngine.Read(user);
        settings.SoftwareTokenSecret = stored;
        MfaEngine.Write(user, settings);
        await db.SaveChangesAsync();
        await f.Cognito.Send(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = f.PoolId, Username = email,
            SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = authenticator },
            EmailMfaSettings = new EmailMfaSettingsType { Enabled = byEmail },
        });
        return secret;
    }

    static string Totp(string secret) =>
        MfaEngine.Totp(MfaEngine.FromBase32(secret.Replace(" ", "")), DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);

    static async Task SignIn(IPage page, string email)
    {
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    async Task NoSeriousViolations(IPage page, string what)
    {
        var violations = await Axe.SeriousViolations(page);
        Assert.True(violations.Count == 0, $"{what}: " + string.Join("\n", violations));
    }

    [Fact]
    public async Task A_user_with_an_authenticator_enters_its_code_after_the_password_and_a_wrong_code_says_so()
    {
        await PoolMfa("OPTIONAL", email: true);
        var email = await f.User();
        var secret = await Factors(email, authenticator: true, byEmail: false);
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step verification" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Enter the 6-digit code from your authenticator app.")).ToBeVisibleAsync();
        var code = Totp(secret);
        await page.GetByLabel("Verification code").FillAsync(code == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToHaveTextAsync("That code is not right. Check it and try again.");
        await NoSeriousViolations(page, "mfa code");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-mfa.png") });

        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());
    }

    [Fact]
    public async Task A_user_with_two_factors_chooses_email_and_signs_in_with_the_mailed_code()
    {
        await PoolMfa("OPTIONAL", email: true);
        var email = await f.User();
        await Factors(email, authenticator: true, byEmail: true);
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email);

        await Assertions.Expect(page.GetByText("How do you want to get your sign-in code?")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Authenticator app" })).ToBeVisibleAsync();
        await NoSeriousViolations(page, "mfa choice");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-mfa-choice.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Email" }).ClickAsync();

        await Assertions.Expect(page.GetByText("We sent a code to")).ToBeVisibleAsync();
        var mail = await f.LastMessageTo(email);
        Assert.StartsWith("Your sign-in code is ", mail);
        await page.GetByLabel("Verification code").FillAsync(HostedUiFixture.CodeIn(mail));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task Required_mfa_has_the_user_add_an_authenticator_from_the_qr_code_page()
    {
        await PoolMfa("ON", email: false);
        try
        {
            var email = await f.User();
            var page = await Page();
            await page.GotoAsync(f.App.BaseUrl + "/");
            await SignIn(page, email);

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set up your authenticator app" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code to add this account to an authenticator app" })).ToBeVisibleAsync();
            // (The audit reloads the page, which sends the password again and starts a new setup with a new key.)
            await NoSeriousViolations(page, "mfa setup");
            var key = await page.GetByTestId("mfa-secret").InnerTextAsync();
            Assert.Matches("^([A-Z2-7]{4} ){12}[A-Z2-7]{4}$", key);
            var link = await page.GetByRole(AriaRole.Link, new() { Name = "Open in an authenticator app on this device" }).GetAttributeAsync("href");
            Assert.StartsWith($"otpauth://totp/hosted-ui:{Uri.EscapeDataString(email)}?secret={key.Replace(" ", "")}", link);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-mfa-setup.png"), FullPage = true });

            await page.GetByLabel("Verification code").FillAsync(Totp(key));
            await page.GetByLabel("Device name (optional)").FillAsync("Work phone");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });

            var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = email });
            Assert.Equal(["SOFTWARE_TOKEN_MFA"], user.UserMFASettingList);
            Assert.Equal("SOFTWARE_TOKEN_MFA", user.PreferredMfaSetting);
        }
        finally
        {
            await PoolMfa("OPTIONAL", email: true);
        }
    }

    [Fact]
    public async Task A_user_signs_in_with_a_mailed_code_instead_of_the_password()
    {
        await f.Cognito.Send(new UpdateUserPoolRequest
        {
            UserPoolId = f.PoolId, UserPoolTier = "ESSENTIALS",
            Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "EMAIL_OTP"] } },
        });
        var client = (await f.Cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = f.PoolId, ClientId = f.ClientId })).UserPoolClient!;
        await f.Cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientId = f.ClientId, ClientName = client.ClientName, AllowedOAuthFlows = client.AllowedOAuthFlows,
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = client.AllowedOAuthScopes, SupportedIdentityProviders = client.SupportedIdentityProviders,
            CallbackURLs = client.CallbackURLs, LogoutURLs = client.LogoutURLs,
            ExplicitAuthFlows = ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        var email = await f.User();
        var page = await Page();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await NoSeriousViolations(page, "login with a code sign-in");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-login-passwordless.png") });

        // An account that cannot get a code is told so, whatever the reason.
        await page.GetByLabel("Username or email").FillAsync("nobody@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in code instead" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("We can't send a sign-in code for this account. Sign in with your password.");

        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in code instead" }).ClickAsync();
        await Assertions.Expect(page.GetByText("We sent a sign-in code to")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your password instead" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-passwordless.png") });
        var code = System.Text.RegularExpressions.Regex.Match(await f.LastMessageTo(email), @"\b\d{8}\b").Value;
        Assert.Equal(8, code.Length);
        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());
    }
}
