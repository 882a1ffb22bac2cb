using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
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
        await PortalSignIn.AsAdministrator(page, server);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" }).WaitForAsync();
        // The interactive circuit fills in the counts: at least the admin pool and the demo pool (other tests add more).
        await Assertions.Expect(page.GetByTestId("pool-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        Assert.True(int.Parse(await page.GetByTestId("pool-count").InnerTextAsync(), CultureInfo.InvariantCulture) >= 2);
        await Assertions.Expect(page.GetByText("portal-admin").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-home.png"), FullPage = true });
    }

    [Fact]
    public async Task The_portal_requires_signing_in_through_the_administration_pool()
    {
        var page = await browser.NewPage();
        await page.GotoAsync(server.BaseUrl + "/pools");
        Assert.Contains("/portal-admin/login", page.Url);
        await page.GetByLabel("Username or email").FillAsync("admin");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Incorrect username or password.");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(PortalServer.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Reach(server.BaseUrl + "/pools");
        await Assertions.Expect(page.GetByTestId("operator")).ToContainTextAsync("admin · administrator");
    }

    [Fact]
    public async Task Every_navigation_link_resolves()
    {
        var page = await browser.NewPage();
        await PortalSignIn.AsAdministrator(page, server);
        foreach (var section in global::Portal.Client.Layout.Sections.All)
        {
            var response = await page.GotoAsync(server.BaseUrl + "/" + section.Href);
            Assert.Equal(200, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = section.Title, Exact = true })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task The_demo_app_signs_a_demo_user_in_through_the_hosted_ui()
    {
        var bootstrap = server.Services.GetRequiredService<global::Portal.Server.Bootstrap>().Created!;
        var engine = server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();
        var email = $"demo-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        await engine.Send(new global::Portal.Client.Contract.AdminCreateUserRequest
        {
            UserPoolId = bootstrap.DemoPoolId, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await engine.Send(new global::Portal.Client.Contract.AdminSetUserPasswordRequest { UserPoolId = bootstrap.DemoPoolId, Username = email, Password = "Demo-Passw0rd!", Permanent = true });

        var page = await browser.NewPage();
        await page.GotoAsync(server.BaseUrl + "/demo/");
        Assert.Contains("/demo/login", page.Url);
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Demo-Passw0rd!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signed in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#claims")).ToContainTextAsync(email);
    }
}
