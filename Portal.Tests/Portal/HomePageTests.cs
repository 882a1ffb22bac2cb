using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

[Collection(ServerCollection.Name)]
public sealed class HomePageTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Home_page_renders_in_chromium_with_the_bootstrapped_pools()
    {
        var page = await browser.NewPage();
        var response = await page.GotoAsync(server.BaseUrl + "/");
        Assert.Equal(200, response!.Status);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" }).WaitForAsync();
        // The interactive circuit fills in the counts: the admin pool and the demo pool.
        await Assertions.Expect(page.GetByTestId("pool-count")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByText("portal-admin").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-home.png"), FullPage = true });
    }

    [Fact]
    public async Task Every_navigation_link_resolves()
    {
        var page = await browser.NewPage();
        await page.GotoAsync(server.BaseUrl + "/");
        foreach (var section in global::Portal.Client.Layout.Sections.All)
        {
            var response = await page.GotoAsync(server.BaseUrl + "/" + section.Href);
            Assert.Equal(200, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = section.Title, Exact = true })).ToBeVisibleAsync();
        }
    }
}
