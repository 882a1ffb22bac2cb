using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Gateway;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>The Gateway page in chromium: an administrator sees the routes with their authorizers and the decision log
/// (after real requests to a route), both scanned by axe-core and photographed for the README.</summary>
[Collection(ServerCollection.Name)]
public sealed class GatewayPortalTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    static string Shot(string name) => Path.Combine(Browser.ScreenshotFolder, name);

    [Fact]
    public async Task The_gateway_page_shows_routes_and_decisions_to_an_administrator()
    {
        var suffix = Guid.NewGuid().ToString("n")[..6];
        var routes = new[]
        {
            new GatewayRouteType
            {
                Id = $"notes-api-{suffix}", Kind = GatewayRouteKinds.IamApi, PathPrefix = $"/api/notes-{suffix}", Backend = "http://127.0.0.1:3000",
                Settings = new() { ["ApiId"] = "notesapi01", ["Stage"] = "prod" },
            },
            new GatewayRouteType
            {
                Id = $"todos-{suffix}", Kind = GatewayRouteKinds.JwtApi, PathPrefix = $"/api/todos-{suffix}", Backend = "http://127.0.0.1:4000",
                Settings = new() { ["UserPoolId"] = "us-east-1_AbCdEfGhI", ["Audience"] = "3n4b5urk1ft4fl3mg5e62d9ado", ["Scopes"] = "todos/read" },
            },
            new GatewayRouteType
            {
                Id = $"notes-web-{suffix}", Kind = GatewayRouteKinds.Alb, PathPrefix = $"/notes-{suffix}", Backend = "http://127.0.0.1:8080",
                Settings = new() { ["UserPoolId"] = "us-east-1_AbCdEfGhI", ["ClientId"] = "3n4b5urk1ft4fl3mg5e62d9ado", ["OnUnauthenticatedRequest"] = "deny" },
            },
        };
        foreach (var route in routes) await Engine.Send(new PutGatewayRouteRequest { Route = route });
        using (var http = new HttpClient())
        {
            (await http.GetAsync(new Uri($"{server.BaseUrl}/api/notes-{suffix}/1"))).Dispose();
            (await http.GetAsync(new Uri($"{server.BaseUrl}/api/todos-{suffix}/list"))).Dispose();
            (await http.GetAsync(new Uri($"{server.BaseUrl}/notes-{suffix}/"))).Dispose();
        }
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();

        var page = await browser.NewPage(1440, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Go(page, $"{server.BaseUrl}/gateway");
        await Settled(page);
        await Assertions.Expect(page.GetByTestId($"authorizer-todos-{suffix}")).ToHaveTextAsync("JWT: us-east-1_AbCdEfGhI, audience 3n4b5urk1ft4fl3mg5e62d9ado, scopes todos/read");
        await Assertions.Expect(page.GetByTestId("new-route")).ToBeVisibleAsync();
        await page.AnimationsDone();
        var violations = (await PortalAxeTests.Serious(page)).Select(v => $"routes: {v}").ToList();
        await page.ScreenshotAsync(new() { Path = Shot("portal-gateway-routes.png"), FullPage = true });

        await page.GetByRole(AriaRole.Tab, new() { Name = "Decisions" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("decisions")).ToContainTextAsync($"/api/todos-{suffix}/list");
        await Assertions.Expect(page.GetByTestId("decisions")).ToContainTextAsync("Missing Authentication Token");
        await page.AnimationsDone();
        violations.AddRange((await PortalAxeTests.Serious(page)).Select(v => $"decisions: {v}"));
        await page.ScreenshotAsync(new() { Path = Shot("portal-gateway-decisions.png"), FullPage = true });

        Assert.Empty(violations);
    }
}
