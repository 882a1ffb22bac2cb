using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Gateway;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Tests.Gateway;

/// <summary>A backend that answers every request with what it received (method, path and query, headers) as JSON.</summary>
public sealed class EchoBackend : IAsyncDisposable
{
    readonly WebApplication app;
    public int Port { get; } = PortalServer.FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public EchoBackend()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        app = builder.Build();
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            await http.Response.WriteAsJsonAsync(new
            {
                method = http.Request.Method,
                path = http.Request.Path.Value + http.Request.QueryString.Value,
                headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body,
            });
        });
        app.StartAsync().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>A route kind for these tests: lets a request through when it carries <c>X-Test-Allow: yes</c>, answers 403
/// otherwise, logs its decision, and adds <c>X-Test-Route</c> to the forwarded request.</summary>
sealed class HeaderKind : IGatewayRouteKind
{
    public GatewayRouteKind Kind => GatewayRouteKind.IamApi;

    public void Validate(GatewayRoute route)
    {
        if (route.Setting("Refuse") is not null) throw new InvalidParameterException("This route says Refuse.", "Route.Settings");
    }

    public async Task<bool> Authorize(GatewayRequest request)
    {
        var allowed = request.Http.Request.Headers["X-Test-Allow"] == "yes";
        request.Record(new GatewayDecision(allowed ? GatewayDecision.Allow : GatewayDecision.ImplicitDeny)
        {
            Caller = request.Http.Request.Headers["X-Test-Caller"].ToString(), Action = "test:Invoke", Resource = request.Http.Request.Path.Value,
            Policy = "header", Statement = "X-Test-Allow",
        });
        if (allowed) return true;
        request.Http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await request.Http.Response.WriteAsync("refused by the test kind", request.Aborted);
        return false;
    }

    public void Transforms(Yarp.ReverseProxy.Transforms.Builder.TransformBuilderContext builder, GatewayRoute route) =>
        builder.AddRequestTransform(t =>
        {
            t.ProxyRequest.Headers.TryAddWithoutValidation("X-Test-Route", route.Id);
            return ValueTask.CompletedTask;
        });
}

/// <summary>A Portal with two gateway routes in appsettings (one broken, left out) and the test route kind.</summary>
public sealed class GatewayFoundationServer : PortalServer
{
    public EchoBackend Backend { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Gateway:Routes:0:Id"] = "configured",
        ["Portal:Gateway:Routes:0:Kind"] = "IamApi",
        ["Portal:Gateway:Routes:0:PathPrefix"] = "/configured",
        ["Portal:Gateway:Routes:0:Backend"] = Backend.BaseUrl,
        ["Portal:Gateway:Routes:0:Settings:ApiSecret"] = "configured-secret",
        ["Portal:Gateway:Routes:0:Settings:Stage"] = "prod",
        ["Portal:Gateway:Routes:1:Id"] = "broken",
        ["Portal:Gateway:Routes:1:Kind"] = "NoSuchKind",
        ["Portal:Gateway:Routes:1:PathPrefix"] = "/broken",
        ["Portal:Gateway:Routes:1:Backend"] = Backend.BaseUrl,
        ["Portal:Gateway:Routes:2:Id"] = "refused",
        ["Portal:Gateway:Routes:2:Kind"] = "IamApi",
        ["Portal:Gateway:Routes:2:PathPrefix"] = "/refused",
        ["Portal:Gateway:Routes:2:Backend"] = Backend.BaseUrl,
        ["Portal:Gateway:Routes:2:Settings:Refuse"] = "yes",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IGatewayRouteKind, HeaderKind>());
    }

    public Dispatcher Engine => Services.GetRequiredService<Dispatcher>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

public sealed class GatewayFoundationTests(GatewayFoundationServer server) : IClassFixture<GatewayFoundationServer>
{
    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

    async Task<HttpResponseMessage> Get(string path, bool allow, string? caller = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (allow) request.Headers.Add("X-Test-Allow", "yes");
        if (caller is not null) request.Headers.Add("X-Test-Caller", caller);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Routes_of_appsettings_are_listed_read_only_with_secrets_masked_and_broken_ones_left_out()
    {
        var routes = (await server.Engine.Send(new ListGatewayRoutesRequest())).Routes!;
        var configured = Assert.Single(routes, r => r.Id == "configured");
        Assert.Equal("Configuration", configured.Source);
        Assert.Equal("/configured", configured.PathPrefix);
        Assert.Equal("prod", configured.Settings!["Stage"]);
        Assert.Equal(GatewayRoute.SecretMask, configured.Settings["ApiSecret"]);
        Assert.DoesNotContain(routes, r => r.Id is "broken" or "refused");
        // The proxy has the route's real secret.
        Assert.Equal("configured-secret", server.Services.GetRequiredService<GatewayRoutes>().Find("configured")!.Setting("ApiSecret"));

        var changed = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType { Id = "configured", Kind = "IamApi", PathPrefix = "/other", Backend = server.Backend.BaseUrl },
        }));
        Assert.Contains("appsettings", changed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidParameterException>(() => server.Engine.Send(new DeleteGatewayRouteRequest { Id = "configured" }));
    }

    [Fact]
    public async Task A_configured_route_forwards_what_its_kind_allows_and_answers_its_refusals()
    {
        using var allowed = await Get("/configured/items/7?x=1", allow: true);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var echo = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync());
        Assert.Equal("/configured/items/7?x=1", echo.RootElement.GetProperty("path").GetString());
        Assert.Equal("configured", echo.RootElement.GetProperty("headers").GetProperty("x-test-route").GetString());

        using var refused = await Get("/configured/items/7", allow: false);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("refused by the test kind", await refused.Content.ReadAsStringAsync());
        // The broken route was left out: its path is not proxied.
        using var broken = await Get("/broken/x", allow: true);
        Assert.NotEqual(HttpStatusCode.OK, broken.StatusCode);
    }

    [Fact]
    public async Task Database_routes_are_created_changed_and_deleted_through_the_admin_api_and_take_effect_at_once()
    {
        var id = PortalServer.Unique("db");
        var put = await server.Engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = id, Kind = "IamApi", PathPrefix = "/" + id, Backend = server.Backend.BaseUrl,
                Settings = new() { ["BackendSecretAccessKey"] = "s3cr3t", ["Region"] = "eu-west-1" },
            },
        });
        Assert.Equal("Database", put.Route!.Source);
        Assert.Equal(GatewayRoute.SecretMask, put.Route.Settings!["BackendSecretAccessKey"]);
        using (var through = await Get($"/{id}/a", allow: true))
            Assert.Equal(HttpStatusCode.OK, through.StatusCode);

        // The secret is stored protected, not as given.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<PortalDb>().GatewayRoutes.AsNoTracking().SingleAsync(r => r.Id == id);
            Assert.DoesNotContain("s3cr3t", row.Settings, StringComparison.Ordinal);
        }

        // Sent back masked (as the portal shows it), the secret keeps its stored value; the new prefix applies at once.
        await server.Engine.Send(new PutGatewayRouteRequest
        {
            Route = put.Route with { PathPrefix = "/" + id + "-moved", Source = null, LastModifiedDate = null },
        });
        Assert.Equal("s3cr3t", server.Services.GetRequiredService<GatewayRoutes>().Find(id)!.Setting("BackendSecretAccessKey"));
        using (var moved = await Get($"/{id}-moved/a", allow: true))
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        using (var old = await Get($"/{id}/a", allow: true))
            Assert.NotEqual(HttpStatusCode.OK, old.StatusCode);

        var listed = (await server.Engine.Send(new ListGatewayRoutesRequest())).Routes!;
        Assert.Equal("/" + id + "-moved", Assert.Single(listed, r => r.Id == id).PathPrefix);

        await server.Engine.Send(new DeleteGatewayRouteRequest { Id = id });
        using (var gone = await Get($"/{id}-moved/a", allow: true))
            Assert.NotEqual(HttpStatusCode.OK, gone.StatusCode);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => server.Engine.Send(new DeleteGatewayRouteRequest { Id = id }));
    }

    [Fact]
    public async Task Routes_are_checked_by_the_admin_api()
    {
        Task Put(GatewayRouteType route) => server.Engine.Send(new PutGatewayRouteRequest { Route = route });
        var ok = new GatewayRouteType { Id = PortalServer.Unique("chk"), Kind = "IamApi", PathPrefix = "/chk", Backend = server.Backend.BaseUrl };
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { Backend = "ftp://example.com" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { Backend = "http://user:pw@example.com" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { PathPrefix = "no-slash" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { PathPrefix = "/a/{b}" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { PathPrefix = null, Host = null }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { Kind = "Nope" }));
        // The kind's own check.
        await Assert.ThrowsAsync<InvalidParameterException>(() => Put(ok with { Settings = new() { ["Refuse"] = "1" } }));
        Assert.DoesNotContain((await server.Engine.Send(new ListGatewayRoutesRequest())).Routes!, r => r.Id == ok.Id);
    }

    [Fact]
    public async Task Decisions_are_logged_listable_by_filter_and_counted_on_metrics()
    {
        var caller = PortalServer.Unique("caller");
        using (await Get("/configured/one", allow: true, caller)) { }
        using (await Get("/configured/two", allow: false, caller)) { }
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();

        var mine = (await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = caller })).Decisions!;
        Assert.Equal(2, mine.Count);
        Assert.Equal(["/configured/two", "/configured/one"], mine.Select(d => d.Resource));
        var denied = mine[0];
        Assert.Equal(("configured", "IamApi", "ImplicitDeny", "test:Invoke", "header", "X-Test-Allow"),
            (denied.RouteId, denied.Kind, denied.Decision, denied.Action, denied.Policy, denied.Statement));
        Assert.Equal("127.0.0.1", denied.SourceIp);
        var allowed = Assert.Single((await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = caller, Decision = "Allow" })).Decisions!);
        Assert.Equal("/configured/one", allowed.Resource);
        var page = await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = caller, Limit = 1 });
        var next = await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = caller, Limit = 1, NextToken = page.NextToken });
        Assert.Equal("/configured/one", Assert.Single(next.Decisions!).Resource);
        Assert.Null(next.NextToken);

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("portal_gateway_decisions_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("decision=\"ImplicitDeny\"", metrics, StringComparison.Ordinal);
        Assert.Contains("route=\"configured\"", metrics, StringComparison.Ordinal);
    }
}

/// <summary>The decision log's queue and writer on their own store: batches, the queue bound, retention by age and by count.</summary>
public sealed class GatewayDecisionWriterTests : IDisposable
{
    readonly PortalServer server = new();
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    readonly GatewayRoute route = new() { Id = "writer-test", Kind = GatewayRouteKind.S3, Backend = new Uri("http://127.0.0.1:1") };

    public void Dispose() => server.Dispose();

    (GatewayDecisionLog Log, GatewayDecisionWriter Writer) Make(DecisionLogOptions settings)
    {
        var options = Options.Create(new GatewayOptions { DecisionLog = settings });
        var log = new GatewayDecisionLog(options, server.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), clock);
        return (log, new GatewayDecisionWriter(log, server.Services.GetRequiredService<IServiceScopeFactory>(), options, clock,
            NullLogger<GatewayDecisionWriter>.Instance));
    }

    async Task<List<GatewayDecisionRow>> Rows()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDb>().GatewayDecisions.AsNoTracking()
            .Where(d => d.RouteId == route.Id).OrderBy(d => d.Time).ToListAsync();
    }

    [Fact]
    public async Task Decisions_are_written_in_batches_with_what_decided_and_long_values_cut()
    {
        var (log, writer) = Make(new DecisionLogOptions { BatchSize = 3 });
        using var stop = new CancellationTokenSource();
        var running = writer.Run(stop.Token);
        for (var i = 0; i < 7; i++)
        {
            log.Record(route, new GatewayDecision(GatewayDecision.Allow)
            {
                Caller = $"us-east-1:caller-{i}", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/" + new string('k', 3000), Policy = "p", Statement = "s",
            });
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        await log.Drained();
        var rows = await Rows();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"us-east-1:caller-{i}"), rows.Select(r => r.Caller));
        Assert.All(rows, r => Assert.Equal(2048, r.Resource!.Length));
        Assert.Equal(("Allow", "s3:GetObject", "p", "s"), (rows[0].Decision, rows[0].Action, rows[0].Policy, rows[0].Statement));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_full_queue_drops_decisions_instead_of_holding_the_request()
    {
        var (log, writer) = Make(new DecisionLogOptions { QueueCapacity = 2 });
        for (var i = 0; i < 5; i++) log.Record(route, new GatewayDecision(GatewayDecision.Allow) { Caller = $"c{i}" });
        // Nothing is writing yet: the newest two wait, the three oldest were dropped.
        using var stop = new CancellationTokenSource();
        var running = writer.Run(stop.Token);
        await log.Drained();
        Assert.Equal(["c3", "c4"], (await Rows()).Select(r => r.Caller).Order());
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task The_log_keeps_within_its_retention_and_row_bound()
    {
        var (log, writer) = Make(new DecisionLogOptions { RetentionDays = 7, MaxRows = 4 });
        using var stop = new CancellationTokenSource();
        var running = writer.Run(stop.Token);
        log.Record(route, new GatewayDecision(GatewayDecision.Allow) { Caller = "old" });
        await log.Drained();
        Assert.Equal(["old"], (await Rows()).Select(r => r.Caller));

        clock.Advance(TimeSpan.FromDays(8));
        log.Record(route, new GatewayDecision(GatewayDecision.Allow) { Caller = "new" });
        await log.Drained();
        Assert.Equal(["new"], (await Rows()).Select(r => r.Caller));

        for (var i = 0; i < 6; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            log.Record(route, new GatewayDecision(GatewayDecision.ExplicitDeny) { Caller = $"n{i}" });
            await log.Drained();
        }
        Assert.Equal(["n2", "n3", "n4", "n5"], (await Rows()).Select(r => r.Caller));
        await stop.CancelAsync();
        await running;
    }
}
