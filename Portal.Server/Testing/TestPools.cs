using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Testing;

/// <summary>Pools created in testing mode with a time to live: a settings row per pool holds when it is due.</summary>
public sealed class TestPools(PortalDb db)
{
    public const string Prefix = "testing/pool-ttl/";

    /// <summary>Records the pool's expiry (saved with the caller's unit of work); null without a TTL.</summary>
    public DateTimeOffset? Mark(string userPoolId, int? ttlSeconds, DateTimeOffset now)
    {
        if (ttlSeconds is not { } ttl) return null;
        var expires = now.AddSeconds(ttl);
        db.Settings.Add(new SettingRow { Key = Prefix + userPoolId, Value = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) });
        return expires;
    }

    public async Task<IReadOnlyList<string>> Due(DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(Prefix)).ToListAsync(ct);
        var epoch = now.ToUnixTimeSeconds();
        return rows.Where(r => long.TryParse(r.Value, CultureInfo.InvariantCulture, out var at) && at <= epoch).Select(r => r.Key[Prefix.Length..]).ToList();
    }

    public Task Forget(string userPoolId, CancellationToken ct)
    {
        var key = Prefix + userPoolId;
        return db.Settings.Where(s => s.Key == key).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Deletes testing mode's pools whose time to live has passed (each by DeleteUserPool, so all of a pool goes);
/// every instance may sweep: a pool already deleted by another is simply forgotten.</summary>
public sealed class TestPoolSweeper(IServiceScopeFactory scopes, Dispatcher dispatcher, TimeProvider clock, IOptions<TestingOptions> options,
    ILogger<TestPoolSweeper> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await Sweep(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                log.LogWarning(e, "Sweeping expired test pools failed; the next sweep tries again");
            }
        }
    }

    /// <summary>Deletes the pools due now; answers their ids.</summary>
    public async Task<IReadOnlyList<string>> Sweep(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pools = scope.ServiceProvider.GetRequiredService<TestPools>();
        var deleted = new List<string>();
        foreach (var id in await pools.Due(clock.GetUtcNow(), ct))
        {
            try
            {
                await dispatcher.Send(new DeleteUserPoolRequest { UserPoolId = id }, new Caller("testing-mode ttl"), ct);
                deleted.Add(id);
            }
            catch (ResourceNotFoundException)
            {
            }
            catch (InvalidParameterException e)
            {
                log.LogWarning("Test pool {UserPoolId} is due but cannot be deleted: {Reason}", id, e.Message);
            }
            await pools.Forget(id, ct);
        }
        return deleted;
    }
}
