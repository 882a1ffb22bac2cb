using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Gateway;

/// <summary>The gateway's routes: those of <c>Portal:Gateway:Routes</c> and those stored in the database, validated by their
/// kinds, held as one snapshot that requests read without a database read. <see cref="Reload"/> re-reads both and feeds
/// the proxy; the admin operations call it after their commit, <see cref="GatewayRefresher"/> every few seconds (for
/// changes made on other instances) and on configuration change.</summary>
public sealed class GatewayRoutes(
    IOptionsMonitor<GatewayOptions> options, IServiceScopeFactory scopes, IEnumerable<IGatewayRouteKind> kinds, GatewayProxyConfig proxy,
    IDataProtectionProvider dataProtection, ILogger<GatewayRoutes> log) : IDisposable
{
    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.Gateway.RouteSettings");
    readonly SemaphoreSlim reloading = new(1, 1);
    volatile IReadOnlyDictionary<string, GatewayRoute> current = new Dictionary<string, GatewayRoute>();

    /// <summary>The route kinds by name; of two registered for one kind, the later wins (a test's replacement).</summary>
    public IReadOnlyDictionary<string, IGatewayRouteKind> Kinds { get; } = kinds.GroupBy(k => k.Kind.ToString(), StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>Every route in force, by id.</summary>
    public IReadOnlyDictionary<string, GatewayRoute> Current => current;

    public void Dispose() => reloading.Dispose();

    public GatewayRoute? Find(string id) => current.GetValueOrDefault(id);

    public IGatewayRouteKind? KindOf(GatewayRoute route) => Kinds.GetValueOrDefault(route.Kind.ToString());

    /// <summary>The routes of appsettings, each checked; a broken one is logged and left out, never stops the start.</summary>
    public IReadOnlyList<GatewayRoute> FromConfiguration()
    {
        var routes = new List<GatewayRoute>();
        foreach (var configured in options.CurrentValue.Routes)
        {
            try
            {
                var route = GatewayRoute.From(configured, GatewayRouteSource.Configuration, null);
                KindOf(route)?.Validate(route);
                routes.Add(route);
            }
            catch (CognitoException e)
            {
                log.LogError("Gateway route {Id} in Portal:Gateway:Routes is left out: {Message}", configured.Id, e.Message);
            }
        }
        return routes;
    }

    public async Task Reload(CancellationToken ct)
    {
        await reloading.WaitAsync(ct);
        try
        {
            var routes = FromConfiguration().ToDictionary(r => r.Id, StringComparer.Ordinal);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            foreach (var row in await db.GatewayRoutes.AsNoTracking().ToListAsync(ct))
            {
                if (routes.ContainsKey(row.Id))
                {
                    log.LogWarning("Gateway route {Id} is defined in appsettings and in the database: the appsettings one is used.", row.Id);
                    continue;
                }
                try
                {
                    var route = FromRow(row);
                    KindOf(route)?.Validate(route);
                    routes[route.Id] = route;
                }
                catch (Exception e) when (e is CognitoException or JsonException or System.Security.Cryptography.CryptographicException)
                {
                    log.LogError("Gateway route {Id} in the database is left out: {Message}", row.Id, e.Message);
                }
            }
            current = routes;
            proxy.Update(routes.Values.Where(r => r.Enabled).ToList(), Kinds);
        }
        finally
        {
            reloading.Release();
        }
    }

    public GatewayRoute FromRow(GatewayRouteRow row)
    {
        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Settings) ?? [];
        foreach (var key in settings.Keys.Where(GatewayRoute.IsSecretKey).ToList())
            if (!string.IsNullOrEmpty(settings[key])) settings[key] = protector.Unprotect(settings[key]);
        return GatewayRoute.From(new GatewayRouteType
        {
            Id = row.Id, Kind = row.Kind, PathPrefix = row.PathPrefix, Host = row.Host, Backend = row.Backend, Settings = settings, Enabled = row.Enabled,
        }, GatewayRouteSource.Database, row.UpdatedAt);
    }

    /// <summary>The settings as stored: secret values protected with Data Protection.</summary>
    public string StoredSettings(IReadOnlyDictionary<string, string> settings) => JsonSerializer.Serialize(
        settings.ToDictionary(s => s.Key, s => GatewayRoute.IsSecretKey(s.Key) && !string.IsNullOrEmpty(s.Value) ? protector.Protect(s.Value) : s.Value));
}

/// <summary>Loads the routes at start, then re-reads them on a signal, on configuration change, and every
/// <see cref="GatewayOptions.RefreshSeconds"/>.</summary>
public sealed class GatewayRefresher(GatewayRoutes routes, IOptionsMonitor<GatewayOptions> options, TimeProvider clock, ILogger<GatewayRefresher> log)
    : BackgroundService
{
    TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load before the server answers, so a configured route never 404s right after start.
        await routes.Reload(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Asks for a reload soon (after an admin change committed, or a configuration change).</summary>
    public void Signal() => Volatile.Read(ref changed).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var onChange = options.OnChange(_ => Signal());
        while (!stoppingToken.IsCancellationRequested)
        {
            var period = TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.RefreshSeconds));
            var signalled = Volatile.Read(ref changed).Task;
            try
            {
                await Task.WhenAny(signalled, Task.Delay(period, clock, stoppingToken));
                // A signal after this swap triggers the next round, so none is lost.
                Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                await routes.Reload(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Reloading the gateway routes failed; the previous ones stay in force.");
            }
        }
    }
}
