using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.LogDelivery;

/// <summary>
/// Delivers the log outbox: every <see cref="LogDeliveryOptions.PollSeconds"/> (or when woken) the records due go out per
/// destination in batches. An instance claims a batch by a conditional update (rows still due get its claim token and a
/// lease), so two instances never send one record. A delivered record is deleted and counted on its destination; a failed
/// one waits a doubling time (up to <see cref="LogDeliveryOptions.MaxBackoffSeconds"/>) and its destination keeps the error
/// for the portal; a record older than <see cref="LogDeliveryOptions.RetentionHours"/> is dropped and counted, never silently.
/// </summary>
public sealed class LogDeliveryWorker(IServiceScopeFactory scopes, IEnumerable<ILogSender> senders, IOptionsMonitor<LogDeliveryOptions> options,
    TimeProvider clock, ILogger<LogDeliveryWorker> log) : BackgroundService
{
    /// <summary>How long a claimed batch is left to its instance before another may take it (the instance died).</summary>
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    readonly Dictionary<string, ILogSender> byKind = senders.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quiet = new QuietRounds(scopes, async (db, ct) => !await db.Set<LogOutboxRow>().AnyAsync(ct));
        while (!stoppingToken.IsCancellationRequested)
        {
            var period = TimeSpan.FromSeconds(Math.Max(0.05, options.CurrentValue.PollSeconds));
            try
            {
                await Task.Delay(period, clock, stoppingToken);
                // An empty outbox gains records only through a commit: until one happens, the round has nothing to do.
                if (await quiet.Skip(woken: false, stoppingToken)) continue;
                while (await Round(stoppingToken) > 0)
                {
                }
                await quiet.Ended(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A log delivery round failed; it runs again.");
            }
        }
    }

    /// <summary>Drops what is past the retention, then sends one batch per destination due; answers how many records were sent.</summary>
    public async Task<int> Round(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        await DropExpired(db, now - TimeSpan.FromHours(Math.Max(0.001, o.RetentionHours)), ct);
        var destinations = await db.Set<LogOutboxRow>().AsNoTracking().Where(r => r.NextAttemptAt <= now)
            .Select(r => new { r.UserPoolId, r.EventSource, r.Kind, r.Destination }).Distinct().ToListAsync(ct);
        var sent = 0;
        foreach (var d in destinations)
        {
            var size = Math.Clamp(o.BatchSize, 1, 500);
            var ids = await db.Set<LogOutboxRow>().AsNoTracking()
                .Where(r => r.UserPoolId == d.UserPoolId && r.EventSource == d.EventSource && r.Destination == d.Destination && r.NextAttemptAt <= now)
                .OrderBy(r => r.Id).Take(size).Select(r => r.Id).ToListAsync(ct);
            var token = Guid.NewGuid().ToString("N");
            // The claim: only rows still due move, so of two instances each row goes to one.
            await db.Set<LogOutboxRow>().Where(r => ids.Contains(r.Id) && r.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimToken, token).SetProperty(r => r.NextAttemptAt, now + Lease)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
            var rows = await db.Set<LogOutboxRow>().AsNoTracking().Where(r => r.ClaimToken == token).OrderBy(r => r.Id).ToListAsync(ct);
            if (rows.Count == 0) continue;
            sent += await Deliver(db, d.UserPoolId, d.EventSource, d.Kind, d.Destination, rows, ct);
        }
        return sent;
    }

    async Task<int> Deliver(PortalDb db, string poolId, string eventSource, string kind, string destination, List<LogOutboxRow> rows, CancellationToken ct)
    {
        string? error = null;
        IReadOnlySet<int> failed;
        try
        {
            if (!byKind.TryGetValue(kind, out var sender)) throw new LogDeliveryException($"No sender for {kind} destinations.");
            failed = await sender.Send(poolId, eventSource, destination, rows, ct);
            if (failed.Count > 0) error = $"{failed.Count} of {rows.Count} record(s) refused by {kind}.";
        }
        catch (LogDeliveryException e)
        {
            failed = Enumerable.Range(0, rows.Count).ToHashSet();
            error = e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failed = Enumerable.Range(0, rows.Count).ToHashSet();
            error = $"{kind} delivery failed: {e.Message}";
        }
        var now = clock.GetUtcNow();
        var delivered = rows.Where((_, i) => !failed.Contains(i)).Select(r => r.Id).ToList();
        if (delivered.Count > 0)
        {
            await db.Set<LogOutboxRow>().Where(r => delivered.Contains(r.Id)).ExecuteDeleteAsync(ct);
            await db.Set<LogDestinationRow>().Where(s => s.UserPoolId == poolId && s.EventSource == eventSource && s.Destination == destination)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Delivered, x => x.Delivered + delivered.Count).SetProperty(x => x.LastDeliveredAt, now), ct);
        }
        if (error is not null)
        {
            if (error.Length > 1000) error = error[..1000];
            var maxWait = Math.Max(1, options.CurrentValue.MaxBackoffSeconds);
            foreach (var group in rows.Where((_, i) => failed.Contains(i)).GroupBy(r => r.Attempts))
            {
                var retryAt = now + TimeSpan.FromSeconds(Math.Min(maxWait, Math.Pow(2, Math.Min(group.Key - 1, 20))));
                var ids = group.Select(r => r.Id).ToList();
                await db.Set<LogOutboxRow>().Where(r => ids.Contains(r.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, retryAt).SetProperty(r => r.ClaimToken, (string?)null), ct);
            }
            await db.Set<LogDestinationRow>().Where(s => s.UserPoolId == poolId && s.EventSource == eventSource && s.Destination == destination)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastError, error).SetProperty(x => x.LastErrorAt, now), ct);
            log.LogWarning("Log delivery of pool {PoolId} ({EventSource}) to {Kind} failed for {Count} record(s): {Error}", poolId, eventSource, kind,
                failed.Count, error);
        }
        return delivered.Count;
    }

    /// <summary>Records past the retention go, counted on their destination.</summary>
    static async Task DropExpired(PortalDb db, DateTimeOffset before, CancellationToken ct)
    {
        var expired = await db.Set<LogOutboxRow>().AsNoTracking().Where(r => r.CreatedAt < before)
            .GroupBy(r => new { r.UserPoolId, r.EventSource, r.Destination }).Select(g => new { g.Key, Count = g.Count(), Last = g.Max(r => r.Id) }).ToListAsync(ct);
        foreach (var e in expired)
        {
            // The delete and its count in one transaction: a reader (or another instance's round) never sees the records
            // gone and not yet counted, and a crash between the two cannot lose the count.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var dropped = await db.Set<LogOutboxRow>()
                .Where(r => r.UserPoolId == e.Key.UserPoolId && r.EventSource == e.Key.EventSource && r.Destination == e.Key.Destination && r.CreatedAt < before && r.Id <= e.Last)
                .ExecuteDeleteAsync(ct);
            if (dropped > 0)
                await db.Set<LogDestinationRow>().Where(s => s.UserPoolId == e.Key.UserPoolId && s.EventSource == e.Key.EventSource && s.Destination == e.Key.Destination)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Dropped, x => x.Dropped + dropped), ct);
            await transaction.CommitAsync(ct);
        }
    }
}
