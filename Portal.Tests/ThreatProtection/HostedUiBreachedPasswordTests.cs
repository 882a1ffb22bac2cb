using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.ThreatProtection;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ThreatProtection;

/// <summary>The hosted sign-in pages in chromium with compromised-credentials detection: "password123" (in the offline
/// corpus shipped with Portal, and breached according to the tests' range API) is refused at sign-up and at a password
/// reset under ENFORCED + BLOCK with a sentence on the page, and accepted but recorded under AUDIT.</summary>
[Collection(ThreatCollection.Name)]
public sealed class HostedUiBreachedPasswordTests(ThreatServer server, Browser browser) : IClassFixture<Browser>
{
    const string Common = "password123";
    const string Good = "Unbreached-Passw0rd-7!";
    const string Callback = "http://localhost/callback";

    static readonly PasswordPolicyType Lax = new() { MinimumLength = 8, RequireLowercase = false, RequireUppercase = false, RequireNumbers = false, RequireSymbols = false };

    /// <summary>A pool signing up by email, with a hosted-UI domain and a code-flow client; its risk configuration
    /// checks sign-ups and password changes.</summary>
    async Task<(string PoolId, string ClientId, string Domain)> Pool(string mode, string action)
    {
        var poolId = (await server.Admin.Send(new CreateUserPoolRequest
        {
            PoolName = PortalServer.Unique("hosted-tp"), UserPoolTier = "PLUS", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", Required = true }],
            UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = mode }, Policies = new UserPoolPolicyType { PasswordPolicy = Lax },
        })).UserPool!.Id!;
        var domain = "tp-" + Guid.NewGuid().ToString("n")[..10];
        await server.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        var clientId = (await server.Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "web", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["COGNITO"], CallbackURLs = [Callback],
            ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        await server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId,
            CompromisedCredentialsRiskConfiguration = new() { EventFilter = ["SIGN_UP", "PASSWORD_CHANGE"], Actions = new() { EventAction = action } },
        });
        return (poolId, clientId, domain);
    }

    string Page(string domain, string clientId, string path) =>
        $"{server.BaseUrl}/{domain}/{path}?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}";

    async Task<IPage> SignUpPage(string domain, string clientId, string email, string password)
    {
        var page = await browser.NewPage(1280, 900);
        await page.GotoAsync(Page(domain, clientId, "signup"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        return page;
    }

    Task<int> Users(string poolId, string email) => server.Db(db => db.Users.CountAsync(u => u.UserPoolId == poolId && u.Email == email));

    [Fact]
    public async Task Under_BLOCK_signing_up_with_a_breached_password_says_so_on_the_page_and_creates_nobody()
    {
        server.Range.Breach(Common);
        var (poolId, clientId, domain) = await Pool("ENFORCED", "BLOCK");
        var email = $"breached-{Guid.NewGuid().ToString("n")[..8]}@example.com";

        var page = await SignUpPage(domain, clientId, email, Common);

        await Assertions.Expect(page.Locator("#password-error")).ToHaveTextAsync(CompromisedCredentials.Refusal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We sent a code" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync(email);
        Assert.Equal(0, await Users(poolId, email));
        var violations = await Axe.SeriousViolations(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-signup-breached-password.png") });
        Assert.True(violations.Count == 0, string.Join(" || ", violations));

        // A password found nowhere signs up.
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Good);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We sent a code" })).ToBeVisibleAsync();
        Assert.Equal(1, await Users(poolId, email));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Under_BLOCK_a_reset_to_a_breached_password_is_refused_with_a_sentence_and_the_old_password_still_works()
    {
        server.Range.Breach(Common);
        var (poolId, clientId, domain) = await Pool("ENFORCED", "BLOCK");
        var email = $"reset-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        await server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = email, Password = Good, Permanent = true });

        var page = await browser.NewPage(1280, 900);
        await page.GotoAsync(Page(domain, clientId, "forgotPassword"));
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset my password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        var message = await server.Db(db => db.Outbox.Where(m => m.Destination == email).OrderByDescending(m => m.CreatedAt).Select(m => m.Body).FirstAsync());
        var code = System.Text.RegularExpressions.Regex.Match(message, @"\b\d{6}\b").Value;
        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(Common);
        await page.GetByLabel("Enter the new password again").FillAsync(Common);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await Assertions.Expect(page.Locator("#password-error")).ToHaveTextAsync(CompromisedCredentials.Refusal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-reset-breached-password.png") });
        // The password did not change: the old one signs in, the breached one does not.
        var signedIn = await server.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = poolId, ClientId = clientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Good },
        });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = poolId, ClientId = clientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Common },
        }));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Under_AUDIT_the_sign_up_succeeds_and_its_event_records_the_breached_password()
    {
        server.Range.Breach(Common);
        var (poolId, clientId, domain) = await Pool("AUDIT", "BLOCK");
        var email = $"audited-{Guid.NewGuid().ToString("n")[..8]}@example.com";

        var page = await SignUpPage(domain, clientId, email, Common);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We sent a code" })).ToBeVisibleAsync();
        Assert.Equal(1, await Users(poolId, email));
        var events = (await server.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = poolId, Username = email })).AuthEvents!;
        var signUp = Assert.Single(events, e => e.EventType == "SignUp");
        Assert.True(signUp.EventRisk!.CompromisedCredentialsDetected);
        Assert.Equal("NoRisk", signUp.EventRisk.RiskDecision);
        var reasons = await server.Admin.Send(new ListAuthEventReasonsRequest { UserPoolId = poolId, Username = email, EventIds = [signUp.EventId!] });
        var reason = Assert.Single(Assert.Single(reasons.Events!).Reasons!).Sentence;
        Assert.StartsWith("Password found in a breached-password list at sign-up", reason, StringComparison.Ordinal);
        Assert.EndsWith("recorded (audit mode)", reason, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
