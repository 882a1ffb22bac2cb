using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>Issue 23 in chromium: a user's page with their devices and passkeys, and the pool's Devices and passkeys tab;
/// axe-clean and photographed (docs/screenshots/portal-user-devices-passkeys.png, portal-pool-devices-passkeys.png).</summary>
[Collection(ServerCollection.Name)]
public sealed class PasskeyPortalBrowserTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    const string Password = "Passkey-Passw0rd!";

    [Fact]
    public async Task The_user_page_lists_devices_and_passkeys_and_the_pool_tab_edits_them_with_no_serious_accessibility_violation()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest
        {
            PoolName = PortalServer.Unique("shop"),
            DeviceConfiguration = new DeviceConfigurationType { ChallengeRequiredOnNewDevice = true, DeviceOnlyRememberedOnUserPrompt = true },
            Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "WEB_AUTHN"] } },
        })).UserPool!.Id!;
        await engine.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = pool, WebAuthnConfiguration = new WebAuthnConfigurationType { RelyingPartyId = "shop.example.com", UserVerification = "required" },
        });
        var client = (await engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "web", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH"] }))
            .UserPoolClient!.ClientId!;
        await engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "dora", MessageAction = "SUPPRESS" });
        await engine.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "dora", Password = Password, Permanent = true });

        // Two devices the app confirmed (one remembered), as amazon-cognito-identity-js does after a sign-in.
        foreach (var (name, remembered) in new[] { ("Firefox on Linux", true), ("iPhone 15", false) })
        {
            var signedIn = (await engine.Send(new InitiateAuthRequest
            {
                ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "dora", ["PASSWORD"] = Password },
            })).AuthenticationResult!;
            var key = signedIn.NewDeviceMetadata!.DeviceKey!;
            await engine.Send(new ConfirmDeviceRequest
            {
                AccessToken = signedIn.AccessToken, DeviceKey = key, DeviceName = name,
                DeviceSecretVerifierConfig = new DeviceSecretVerifierConfigType { Salt = Convert.ToBase64String([1, 2, 3, 4]), PasswordVerifier = Convert.ToBase64String([5, 6, 7, 8]) },
            });
            if (remembered)
                await engine.Send(new UpdateDeviceStatusRequest { AccessToken = signedIn.AccessToken, DeviceKey = key, DeviceRememberedStatus = "remembered" });
        }
        // Two passkeys (registration itself is covered in passkeys.test.js and passkeys-browser.test.js).
        var sub = (await engine.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "dora" })).UserAttributes!.Single(a => a.Name == "sub").Value!;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var now = server.Clock.GetUtcNow();
            db.WebAuthnCredentials.AddRange(
                new WebAuthnCredentialRow
                {
                    UserPoolId = pool, UserSub = sub, CredentialId = "cred-" + Guid.NewGuid().ToString("n"), PublicKey = [1], Name = "Passkey",
                    RelyingPartyId = "shop.example.com", Transports = "[\"internal\",\"hybrid\"]", Attachment = "platform", CreatedAt = now.AddDays(-12), LastUsedAt = now.AddHours(-3),
                },
                new WebAuthnCredentialRow
                {
                    UserPoolId = pool, UserSub = sub, CredentialId = "cred-" + Guid.NewGuid().ToString("n"), PublicKey = [2], Name = "Passkey 2",
                    RelyingPartyId = "shop.example.com", Transports = "[\"usb\",\"nfc\"]", Attachment = "cross-platform", CreatedAt = now.AddDays(-2),
                });
            await db.SaveChangesAsync();
        }

        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await ScenarioPortal.Settle(page, $"{server.BaseUrl}/users/{pool}/dora");
        await Assertions.Expect(page.GetByTestId("device-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("passkey-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("passkey-row").First).ToContainTextAsync("Built into the device");
        await Assertions.Expect(page.GetByTestId("passkey-row").Nth(1)).ToContainTextAsync("Never");
        await page.AddScriptTagAsync(new() { Content = PortalAxeTests.AxeScript.Value });
        var violations = await PortalAxeTests.Serious(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        // The part of the page this is about, as the operator scrolls to it (a full-page shot would draw the fixed app bar mid-page).
        await page.EvaluateAsync("() => document.querySelector('[data-testid=user-passkeys]').scrollIntoView({ block: 'center' })");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalServer.RepositoryRoot, "docs", "screenshots", "portal-user-devices-passkeys.png") });

        // Deleting asks first.
        await page.GetByTestId("passkey-delete").Nth(1).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Delete this passkey?");
        await page.AnimationsDone();
        violations = await PortalAxeTests.Serious(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("passkey-row")).ToHaveCountAsync(1);

        await ScenarioPortal.Settle(page, $"{server.BaseUrl}/pools/{pool}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Devices and passkeys" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("passkey-settings")).ToBeVisibleAsync();
        await Assertions.Expect(ScenarioPortal.Field(page, "passkey-rp-id")).ToHaveValueAsync("shop.example.com");
        await page.AddScriptTagAsync(new() { Content = PortalAxeTests.AxeScript.Value });
        violations = await PortalAxeTests.Serious(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalServer.RepositoryRoot, "docs", "screenshots", "portal-pool-devices-passkeys.png"), FullPage = true });
    }
}
