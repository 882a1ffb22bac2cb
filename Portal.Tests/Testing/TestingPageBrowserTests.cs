using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, the Testing page in chromium: the mailbox with a code in full, reset asks first; axe-clean and
/// photographed (docs/screenshots/portal-testing.png).</summary>
[Collection(ServerCollection.Name)]
public sealed class TestingPageBrowserTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_testing_page_shows_the_code_asks_before_a_reset_and_has_no_serious_accessibility_violation()
    {
        var cognito = server.Services.GetRequiredService<Dispatcher>();
        var pool = await cognito.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("e2e-app"), UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"] });
        var poolId = pool.UserPool!.Id!;
        var client = await cognito.Send(new CreateUserPoolClientRequest { UserPoolId = poolId, ClientName = "web", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH"] });
        await cognito.Send(new SignUpRequest
        {
            ClientId = client.UserPoolClient!.ClientId, Username = "ann@example.com", Password = "Testing-Passw0rd",
            UserAttributes = [new AttributeType { Name = "email", Value = "ann@example.com" }],
        });

        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await ScenarioPortal.Settle(page, $"{server.BaseUrl}/testing?pool={poolId}");
        await Assertions.Expect(page.GetByTestId("testing-code").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d{6}\s*$"));
        await page.AddScriptTagAsync(new() { Content = PortalAxeTests.AxeScript.Value });
        var violations = await PortalAxeTests.Serious(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalServer.RepositoryRoot, "docs", "screenshots", "portal-testing.png"), FullPage = true });

        await page.GetByTestId("testing-reset").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync($"Delete every user of {poolId}");
        await page.AnimationsDone();
        violations = await PortalAxeTests.Serious(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("testing-notice")).ToContainTextAsync("Reset: 1 user deleted");
    }
}
