using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools;

/// <summary>
/// Credentials issued per identity pool and UTC day (the Usage tab, DescribeIdentityPoolUsage). Each instance counts in
/// memory and adds its counts to the shared <c>IdentityPoolUsageDays</c> rows (one atomic upsert per pool and day) every
/// <see cref="FlushInterval"/>, when the usage is read on this instance, and when it stops. Not in the operation's unit of
/// work on purpose: GetCredentialsForIdentity writes nothing else, and a write transaction of its own would cost more than
/// the rest of the call (about 4 ms of CPU per commit on SQLite, as the per-call quota counter did). The price: another
/// instance's counts show up to <see cref="FlushInterval"/> late, and an instance that crashes loses at most that long of
/// counts; a failed flush keeps its counts for the next one.
/// </summary>
public sealed class CredentialsUsage(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CredentialsUsage> log) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);

    sealed class Count
    {
        public long Value;
    }

    readonly ConcurrentDictionary<(string Pool, string Day), Count> pending = new();
    readonly SemaphoreSlim flushing = new(1, 1);

    public static string DayOf(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Counts one issue of credentials for the pool, today (UTC).</summary>
    public void CredentialsIssued(string identityPoolId) =>
        Interlocked.Increment(ref pending.GetOrAdd((identityPoolId, DayOf(clock.GetUtcNow())), _ => new Count()).Value);

    /// <summary>Adds this instance's counts (of one pool, or all) to the shared rows.</summary>
    public async Task Flush(string? identityPoolId, CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var today = DayOf(clock.GetUtcNow());
            foreach (var (key, count) in pending)
            {
                if (identityPoolId is not null && key.Pool != identityPoolId) continue;
                var n = Interlocked.Exchange(ref count.Value, 0);
                if (n == 0)
                {
                    if (string.CompareOrdinal(key.Day, today) < 0) pending.TryRemove(key, out _);
                    continue;
                }
                try
                {
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO "IdentityPoolUsageDays" ("IdentityPoolId", "Day", "CredentialsIssued") VALUES ({key.Pool}, {key.Day}, {n})
                        ON CONFLICT ("IdentityPoolId", "Day") DO UPDATE SET "CredentialsIssued" = "IdentityPoolUsageDays"."CredentialsIssued" + excluded."CredentialsIssued"
                        """, ct);
                }
                catch
                {
                    Interlocked.Add(ref count.Value, n);
                    throw;
                }
            }
        }
        finally
        {
            flushing.Release();
        }
    }

    /// <summary>The pool's credentials issued on each of <paramref name="days"/> (yyyy-MM-dd), this instance's counts included.</summary>
    public async Task<Dictionary<string, long>> PerDay(PortalDb db, string identityPoolId, IReadOnlyCollection<string> days, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await Flush(identityPoolId, ct);
        return await db.Set<IdentityPoolUsageDayRow>().AsNoTracking()
            .Where(d => d.IdentityPoolId == identityPoolId && days.Contains(d.Day))
            .ToDictionaryAsync(d => d.Day, d => d.CredentialsIssued, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushLogged(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushLogged(cancellationToken);
    }

    async Task FlushLogged(CancellationToken ct)
    {
        try
        {
            await Flush(null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Credentials-issued counts could not be saved; kept for the next attempt");
        }
    }

    public override void Dispose()
    {
        flushing.Dispose();
        base.Dispose();
    }
}
