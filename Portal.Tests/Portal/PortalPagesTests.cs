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
