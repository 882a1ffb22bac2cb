using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>The operator's pages in chromium against the real engine, signed in as the bootstrap administrator.</summary>
[Collection(ServerCollection.Name)]
public sealed class PortalPagesTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_administrator_requires_an_authenticator_for_a_pool_and_turns_off_a_users_mfa()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest { PoolName = "mfa-" + Guid.NewGuid().ToString("n")[..6] })).UserPool!.Id!;
        await engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "mia", MessageAction = "SUPPRESS" });

        var page = await browser.NewPage(1280, 720);
        await PortalSignIn.AsAdministrator(page, server);
        await page.GotoAsync($"{server.BaseUrl}/pools/{pool}");
        // A click before the page is interactive does nothing: click the tab until its panel shows.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        for (var tries = 0; !await page.GetByText("Who uses MFA").IsVisibleAsync(); tries++)
        {
            Assert.True(tries < 40, "The MFA tab did not open.");
            await page.GetByRole(AriaRole.Tab, new() { Name = "MFA" }).ClickAsync();
            await page.GetByText("Who uses MFA").Shows(500);
        }
        await page.GetByText("Optional: each user may turn on a factor").ClickAsync();
        await page.GetByText("Authenticator apps (TOTP)").ClickAsync();
        await page.GetByTestId("mfa-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mfa-result")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-pool-mfa.png"), FullPage = true });
        var config = await engine.Send(new GetUserPoolMfaConfigRequest { UserPoolId = pool });
        Assert.Equal("OPTIONAL", config.MfaConfiguration);
        Assert.True(config.SoftwareTokenMfaConfiguration!.Enabled);

        // The user has an authenticator (as AssociateSoftwareToken and VerifySoftwareToken give one) and uses it.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<global::Portal.Server.Storage.PortalDb>();
            var row = db.Users.Single(u => u.UserPoolId == pool && u.Username == "mia");
            var settings = global::Portal.Server.Auth.Mfa.Read(row);
            settings.SoftwareTokenSecret = scope.ServiceProvider.GetRequiredService<global::Portal.Server.Auth.Mfa>().NewSecret().Protected;
            global::Portal.Server.Auth.Mfa.Write(row, settings);
            await db.SaveChangesAsync();
        }
        await engine.Send(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = pool, Username = "mia", SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true },
        });
        await page.GotoAsync($"{server.BaseUrl}/users/{pool}/mia");
        await Assertions.Expect(page.GetByTestId("user-mfa")).ToHaveTextAsync("MFA: Authenticator app (preferred)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-user-mfa.png"), FullPage = true });
        await page.GetByTestId("action-mfa-off").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-mfa")).ToHaveTextAsync("No MFA");
        Assert.Null((await engine.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "mia" })).UserMFASettingList);
    }

    [Fact]
    public async Task Operator_finds_a_user_by_email_prefix_and_opens_it()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest { PoolName = "shop-" + Guid.NewGuid().ToString("n")[..6], UsernameAttributes = ["email"] })).UserPool!.Id!;
        foreach (var name in new[] { "ada", "alan", "grace", "barbara", "edsger" })
            await engine.Send(new AdminCreateUserRequest
            {
                UserPoolId = pool, Username = $"{name}@example.com", MessageAction = "SUPPRESS",
                UserAttributes = [new() { Name = "given_name", Value = char.ToUpperInvariant(name[0]) + name[1..] }],
            });
        await engine.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "staff", Description = "Shop staff", Precedence = 1 });

        var page = await browser.NewPage(1280, 720);
        await PortalSignIn.AsAdministrator(page, server);
        await page.GotoAsync($"{server.BaseUrl}/pools");
        await Assertions.Expect(page.GetByText(pool)).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-pools.png"), FullPage = true });

        await page.GotoAsync($"{server.BaseUrl}/users?pool={pool}");
        await Assertions.Expect(page.GetByText("grace@example.com")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-users.png"), FullPage = true });

        await page.GotoAsync($"{server.BaseUrl}/pools/{pool}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-pool-settings.png"), FullPage = true });

        await page.GotoAsync($"{server.BaseUrl}/groups?pool={pool}");
        await Assertions.Expect(page.GetByText("Shop staff")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-groups.png"), FullPage = true });

        await page.GotoAsync($"{server.BaseUrl}/clients?pool={pool}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-clients.png"), FullPage = true });

        await page.GotoAsync($"{server.BaseUrl}/pools/new");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-create-pool.png"), FullPage = true });
    }
}
