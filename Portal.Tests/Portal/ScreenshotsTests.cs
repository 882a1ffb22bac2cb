using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>A screenshot of every portal page with a small, realistic pool in it (artifacts/screenshots/portal-*.png;
/// the ones worth keeping are copied to docs/screenshots), plus the users page dark and on a tablet.</summary>
[Collection(ServerCollection.Name)]
public sealed class ScreenshotsTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Every_portal_page_is_photographed()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var sample = await SamplePool(server);
        var page = await browser.NewPage(1280, 800);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        var taken = new List<string>();
        foreach (var (name, path) in Pages(sample))
        {
            if (await Settle(page, server.BaseUrl + path) is null) continue; // not built yet
            // Pages other engineers photograph themselves keep their names; these copies are only for looking.
            taken.Add(await Shot(page, OthersPhotograph.Contains(name) ? $"e2e-portal-{name}.png" : $"portal-{name}.png"));
        }

        await Settle(page, $"{server.BaseUrl}/users?pool={sample.PoolId}");
        await Assertions.Expect(page.GetByText("grace@example.com")).ToBeVisibleAsync();
        await PortalAxeTests.Dark(page);
        taken.Add(await Shot(page, "portal-users-dark.png"));

        var tablet = await browser.NewPage(768, 1024);
        tablet.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(tablet, server);
        await Settle(tablet, $"{server.BaseUrl}/users?pool={sample.PoolId}");
        await Assertions.Expect(tablet.GetByText("grace@example.com")).ToBeVisibleAsync();
        taken.Add(await Shot(tablet, "portal-users-tablet.png"));

        Assert.All(taken, file => Assert.True(new FileInfo(file).Length > 10_000, $"{file} is suspiciously small"));
    }

    static readonly HashSet<string> OthersPhotograph = ["home", "branding", "outbox", "triggers", "federation"];

    static async Task<string> Shot(IPage page, string name)
    {
        var file = Path.Combine(Browser.ScreenshotFolder, name);
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        return file;
    }
}
