using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using MfaEngine = Portal.Server.Auth.Mfa;

namespace Portal.Tests.HostedUi;

/// <summary>The hosted UI's "Remember this device" in chromium: on a pool that remembers devices when the user says so,
/// the MFA page offers it; the remembered browser then signs in without MFA, until the device is forgotten.</summary>
public sealed class HostedDeviceTests(HostedUiFixture f) : IClassFixture<HostedUiFixture>
{
    async Task<(string Email, string Secret)> UserWithAuthenticator()
    {
        var email = await f.User();
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
            UserPoolId = f.PoolId, Username = email, SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true },
        });
        return (email, secret);
    }

    static async Task SignIn(IPage page, string email)
    {
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signed out everywhere (the app's and the hosted UI's sessions gone), the device cookie kept.</summary>
    static async Task KeepOnlyDevice(IBrowserContext context)
    {
        var kept = (await context.CookiesAsync()).Where(c => c.Name.StartsWith("portal-device-", StringComparison.Ordinal))
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, Expires = c.Expires })
            .ToList();
        await context.ClearCookiesAsync();
        if (kept.Count > 0) await context.AddCookiesAsync(kept);
    }

    [Fact]
    public async Task A_remembered_browser_skips_MFA_until_the_device_is_forgotten()
    {
        var pool = (await f.Cognito.Send(new DescribeUserPoolRequest { UserPoolId = f.PoolId })).UserPool!;
        await f.Cognito.Send(PoolUpdate.From(pool) with
        {
            DeviceConfiguration = new DeviceConfigurationType { ChallengeRequiredOnNewDevice = true, DeviceOnlyRememberedOnUserPrompt = true },
        });
        await f.Cognito.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = f.PoolId, MfaConfiguration = "OPTIONAL", SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
        });
        var (email, secret) = await UserWithAuthenticator();
        var code = MfaEngine.Totp(MfaEngine.FromBase32(secret.Replace(" ", "")), DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);

        var context = await f.Browser.Instance.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step verification" })).ToBeVisibleAsync();
        var violations = await Axe.SeriousViolations(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByLabel("Remember this device").CheckAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-remember-device.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });

        var devices = (await f.Cognito.Send(new AdminListDevicesRequest { UserPoolId = f.PoolId, Username = email })).Devices!;
        var device = Assert.Single(devices);
        Assert.Equal("remembered", device.DeviceAttributes!.Single(a => a.Name == "dev:device_remembered_status").Value);

        // The remembered browser: the password, and no MFA.
        await KeepOnlyDevice(context);
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email);
        await Assertions.Expect(page).ToHaveURLAsync(f.App.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"email={email}", await page.Locator("#claims").InnerTextAsync());

        // Forgotten (as an operator would), the browser is a new device again: MFA is asked.
        await f.Cognito.Send(new AdminForgetDeviceRequest { UserPoolId = f.PoolId, Username = email, DeviceKey = device.DeviceKey });
        await KeepOnlyDevice(context);
        await page.GotoAsync(f.App.BaseUrl + "/");
        await SignIn(page, email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step verification" })).ToBeVisibleAsync();
        await context.CloseAsync();
    }
}
