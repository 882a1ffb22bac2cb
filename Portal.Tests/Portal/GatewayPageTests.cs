using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Client.Components.Gateway;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Server.Gateway;

namespace Portal.Tests.Portal;

/// <summary>The gateway page against the real engine: routes listed with their authorizers, created, edited and deleted by
/// an administrator (a viewer only reads), and the decision log filtered and tailed live.</summary>
public sealed class GatewayPageTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    static string Unique(string stem) => $"{stem}-{Guid.NewGuid():n}"[..(stem.Length + 9)];

    GatewayRouteType JwtRoute(string id, string pool = "us-east-1_Example1", string prefix = "") => Engine.Setup(new PutGatewayRouteRequest
    {
        Route = new GatewayRouteType
        {
            Id = id, Kind = GatewayRouteKinds.JwtApi, PathPrefix = prefix.Length > 0 ? prefix : "/" + id, Backend = "http://127.0.0.1:9",
            Settings = new() { ["UserPoolId"] = pool, ["Audience"] = "client1", ["Scopes"] = "notes/read" },
        },
    }).Route!;

    IRenderedComponent<GatewayRoutesPanel> Routes(OperatorAccess access) =>
        Ctx.Render<GatewayRoutesPanel>(p => p.AddCascadingValue(access));

    [Fact]
    public void Routes_are_listed_with_what_authorizes_them()
    {
        var id = Unique("notes");
        JwtRoute(id);
        var page = Routes(OperatorAccess.Administrator);
        page.WaitForAssertion(() => Assert.Equal("JWT: us-east-1_Example1, audience client1, scopes notes/read",
            page.Find($"[data-testid='authorizer-{id}']").TextContent.Trim()), Wait);
        Assert.Contains("HTTP API, JWT authorizer", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void An_administrator_creates_edits_and_deletes_a_route()
    {
        var id = Unique("api");
        var page = Routes(OperatorAccess.Administrator);
        page.WaitForElement("[data-testid='new-route']", Wait);
        Press(page, "new-route");
        page.WaitForElement("[data-testid='route-editor']", Wait);
        Choose(page, "route-kind", "HTTP API, IAM authorizer");
        Input(page, "route-id").Change(id);
        Input(page, "route-prefix").Change("/" + id);
        Input(page, "route-backend").Change("http://127.0.0.1:9");
        page.WaitForElement("[data-testid='setting-ApiId']", Wait);
        Input(page, "setting-ApiId").Change("notesapi");
        Input(page, "setting-Stage").Change("prod");
        Press(page, "route-save");
        page.WaitForAssertion(() => Assert.Equal("IAM: execute-api:Invoke on notesapi/prod", page.Find($"[data-testid='authorizer-{id}']").TextContent.Trim()), Wait);
        var stored = Engine.Setup(new ListGatewayRoutesRequest()).Routes!.Single(r => r.Id == id);
        Assert.Equal(GatewayRouteKinds.IamApi, stored.Kind);
        Assert.Equal("/" + id, stored.PathPrefix);
        Assert.Equal("prod", stored.Settings!["Stage"]);

        Press(page, $"edit-{id}");
        page.WaitForElement("[data-testid='route-editor']", Wait);
        Input(page, "setting-Stage").Change("beta");
        Press(page, "route-save");
        page.WaitForAssertion(() => Assert.Equal("IAM: execute-api:Invoke on notesapi/beta", page.Find($"[data-testid='authorizer-{id}']").TextContent.Trim()), Wait);

        Press(page, $"delete-{id}");
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid='authorizer-{id}']")), Wait);
        Assert.DoesNotContain(Engine.Setup(new ListGatewayRoutesRequest()).Routes!, r => r.Id == id);
    }

    [Fact]
    public void The_engines_refusal_of_a_route_is_shown_in_the_editor()
    {
        var page = Routes(OperatorAccess.Administrator);
        page.WaitForElement("[data-testid='new-route']", Wait);
        Press(page, "new-route");
        page.WaitForElement("[data-testid='route-editor']", Wait);
        Press(page, "route-save");
        page.WaitForAssertion(() => Assert.Contains("Required: Route id, User pool id, Audience (app client ids), Backend URL.",
            page.Find("[data-testid='route-error']").TextContent, StringComparison.Ordinal), Wait);

        Input(page, "route-id").Change(Unique("bad"));
        Input(page, "route-prefix").Change("no-slash");
        Input(page, "route-backend").Change("http://127.0.0.1:9");
        Input(page, "setting-UserPoolId").Change("us-east-1_Example1");
        Input(page, "setting-Audience").Change("client1");
        Press(page, "route-save");
        page.WaitForAssertion(() => Assert.Contains("PathPrefix must start with '/'", page.Find("[data-testid='route-error']").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public void A_viewer_reads_routes_but_gets_no_way_to_change_them()
    {
        var id = Unique("ro");
        JwtRoute(id);
        var page = Routes(new OperatorAccess(OperatorRoles.Viewer));
        page.WaitForElement($"[data-testid='authorizer-{id}']", Wait);
        Assert.Empty(page.FindAll("[data-testid='new-route']"));
        Assert.Empty(page.FindAll($"[data-testid='edit-{id}']"));
        Assert.Empty(page.FindAll($"[data-testid='delete-{id}']"));
    }

    [Fact]
    public async Task The_decision_log_filters_by_route_and_decision_and_tails_new_decisions()
    {
        var id = Unique("log");
        JwtRoute(id);
        var server = Engine.Server;
        using var http = new HttpClient();
        (await http.GetAsync(new Uri($"{server.BaseUrl}/{id}/a"))).Dispose();
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();

        Clock.Fake = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var page = Ctx.Render<GatewayDecisionsPanel>();
        page.WaitForElement("[data-testid='filter-route']", Wait);
        Choose(page, "filter-route", id);
        Choose(page, "filter-decision", "ImplicitDeny");
        page.Find("form").Submit();
        page.WaitForAssertion(() =>
        {
            var shown = page.FindAll("[data-testid^='decision-']");
            Assert.Single(shown);
            Assert.Contains("ImplicitDeny", shown[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("Unauthorized", shown[0].TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Contains("GET /" + id + "/a", page.Markup, StringComparison.Ordinal);

        page.FindComponent<MudBlazor.MudSwitch<bool>>().Find("input").Change(true);
        page.WaitForAssertion(() => Assert.Contains("Live:", page.Find("[data-testid='tail-status']").TextContent, StringComparison.Ordinal), Wait);
        (await http.GetAsync(new Uri($"{server.BaseUrl}/{id}/b"))).Dispose();
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        Clock.Fake.Advance(TimeSpan.FromSeconds(2));
        page.WaitForAssertion(() =>
        {
            Assert.Equal(2, page.FindAll("[data-testid^='decision-']").Count);
            Assert.Contains("1 new since the tail started", page.Find("[data-testid='tail-status']").TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Contains("GET /" + id + "/b", page.Markup, StringComparison.Ordinal);
    }
}
