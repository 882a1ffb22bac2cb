using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;

namespace Portal.Server.Sync;

/// <summary>A pool's Cognito Sync activity of one UTC day: sync operations (ListRecords and UpdateRecords sessions) and
/// the day's net change of live datasets and stored bytes. A day's totals are today's (summed over the datasets) less
/// the changes of the days after it, so the latest figure is always exact.</summary>
public sealed class SyncUsageDayRow
{
    public required string IdentityPoolId { get; set; }
    public required string Day { get; set; }              // yyyy-MM-dd (UTC)
    public long SyncOperations { get; set; }
    public long DatasetsChange { get; set; }
    public long BytesChange { get; set; }
}

/// <summary>
/// Sync activity per identity pool and UTC day, counted the way <see cref="CredentialsUsage"/> counts credentials: in
/// memory on each instance and added to the shared <c>SyncUsageDays</c> rows (one atomic upsert per pool and day) every
/// <see cref="FlushInterval"/>, when the usage is read on this instance, and when it stops. Not in the operation's unit
/// of work on purpose: ListRecords writes nothing else (a write there would take SQLite's one writer lock on every
/// device's pull), and an extra upsert per UpdateRecords would cost more than the counter is worth. The price: another
/// instance's counts show up to 10 s late, an instance that crashes loses at most that long of counts, and the counts of
/// an operation whose commit fails after its handler answered are kept (rare: the handler's conditional writes decide).
/// </summary>
public sealed class SyncUsage(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SyncUsage> log) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = CredentialsUsage.FlushInterval;

    sealed class Counts
    {
        public long Operations;
        public long Datasets;
        public long Bytes;
    }

    readonly ConcurrentDictionary<(string Pool, string Day), Counts> pending = new();
    readonly SemaphoreSlim flushing = new(1, 1);

    Counts Today(string identityPoolId) => pending.GetOrAdd((identityPoolId, CredentialsUsage.DayOf(clock.GetUtcNow())), _ => new Counts());

    /// <summary>One sync operation (a ListRecords, or an UpdateRecords that changed <paramref name="datasets"/> live
    /// datasets and <paramref name="bytes"/> stored bytes of the pool).</summary>
    public void Synced(string identityPoolId, long datasets = 0, long bytes = 0)
    {
        var counts = Today(identityPoolId);
        Interlocked.Increment(ref counts.Operations);
        if (datasets != 0) Interlocked.Add(ref counts.Datasets, datasets);
        if (bytes != 0) Interlocked.Add(ref counts.Bytes, bytes);
    }

    /// <summary>A change that is no sync operation (an operator deleting a dataset).</summary>
    public void Changed(string identityPoolId, long datasets, long bytes)
    {
        var counts = Today(identityPoolId);
        Interlocked.Add(ref counts.Datasets, datasets);
        Interlocked.Add(ref counts.Bytes, bytes);
    }

    /// <summary>Adds this instance's counts (of one pool, or all) to the shared rows.</summary>
    public async Task Flush(string? identityPoolId, CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var today = CredentialsUsage.DayOf(clock.GetUtcNow());
            foreach (var (key, counts) in pending)
            {
                if (identityPoolId is not null && key.Pool != identityPoolId) continue;
                var (ops, datasets, bytes) = (Interlocked.Exchange(ref counts.Operations, 0), Interlocked.Exchange(ref counts.Datasets, 0),
                    Interlocked.Exchange(ref counts.Bytes, 0));
                if (ops == 0 && datasets == 0 && bytes == 0)
                {
                    if (string.CompareOrdinal(key.Day, today) < 0) pending.TryRemove(key, out _);
                    continue;
                }
                try
                {
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO "SyncUsageDays" ("IdentityPoolId", "Day", "SyncOperations", "DatasetsChange", "BytesChange")
                        VALUES ({key.Pool}, {key.Day}, {ops}, {datasets}, {bytes})
                        ON CONFLICT ("IdentityPoolId", "Day") DO UPDATE SET
                            "SyncOperations" = "SyncUsageDays"."SyncOperations" + excluded."SyncOperations",
                            "DatasetsChange" = "SyncUsageDays"."DatasetsChange" + excluded."DatasetsChange",
                            "BytesChange" = "SyncUsageDays"."BytesChange" + excluded."BytesChange"
                        """, ct);
                }
                catch
                {
                    Interlocked.Add(ref counts.Operations, ops);
                    Interlocked.Add(ref counts.Datasets, datasets);
                    Interlocked.Add(ref counts.Bytes, bytes);
                    throw;
                }
            }
        }
        finally
        {
            flushing.Release();
        }
    }

    /// <summary>The pool's rows from <paramref name="since"/> (yyyy-MM-dd) on, this instance's counts included.</summary>
    public async Task<List<SyncUsageDayRow>> Since(PortalDb db, string identityPoolId, string since, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await Flush(identityPoolId, ct);
        return await db.Set<SyncUsageDayRow>().AsNoTracking()
            .Where(d => d.IdentityPoolId == identityPoolId && string.Compare(d.Day, since) >= 0).ToListAsync(ct);
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
            log.LogWarning(e, "Sync usage counts could not be saved; kept for the next attempt");
        }
    }

    public override void Dispose()
    {
        flushing.Dispose();
        base.Dispose();
    }

    public static void Configure(ModelBuilder b) => b.Entity<SyncUsageDayRow>(e =>
    {
        // No foreign key, as IdentityPoolUsageDays: a batch counted before the pool's deletion may arrive after it.
        e.ToTable("SyncUsageDays");
        e.HasKey(x => new { x.IdentityPoolId, x.Day });
        e.Property(x => x.IdentityPoolId).HasMaxLength(55);
        e.Property(x => x.Day).HasMaxLength(10);
    });
}
