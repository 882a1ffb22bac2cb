using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;

namespace Portal.Tests.ThreatProtection;

/// <summary>The pool page's Threat protection tab in chromium: what an operator sees for a pool in AUDIT mode, and
/// nothing axe calls serious.</summary>
[Collection(ServerCollection.Name)]
public sealed class ThreatProtectionPageTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_threat_protection_tab_shows_the_pools_risk_configuration_and_is_accessible()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest
        {
            PoolName = "threat-" + Guid.NewGuid().ToString("n")[..6],
            UserPoolTier = "PLUS", UserPoolAddOns = new() { AdvancedSecurityMode = "AUDIT" },
        })).UserPool!.Id!;

        var page = await browser.NewPage(1280, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await page.GotoAsync($"{server.BaseUrl}/pools/{pool}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // A click before the page is interactive does nothing: click the tab until its panel shows.
        for (var tries = 0; !await page.GetByTestId("threat-settings").IsVisibleAsync(); tries++)
        {
            Assert.True(tries < 40, "The Threat protection tab did not open.");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Threat protection" }).ClickAsync();
            await page.GetByTestId("threat-settings").Shows(500);
        }
        await Assertions.Expect(page.GetByText("Compromised credentials").First).ToBeVisibleAsync();
        await page.AnimationsDone();
        var violations = await PortalAxeTests.Serious(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-pool-threat-protection.png"), FullPage = true });
        Assert.True(violations.Count == 0, string.Join(" || ", violations));
    }
}
