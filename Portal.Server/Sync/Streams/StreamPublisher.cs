using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Streams;

/// <summary>
/// Sends the outbox to Kinesis: every <see cref="KinesisOptions.PollSeconds"/> (or when signalled) the records due go out
/// in PutRecords batches of up to 500 per stream, partitioned by identity. A record is deleted only once Kinesis answered it
/// with a sequence number; one it refused (<c>FailedRecordCount</c>), or a batch that failed as a whole (stream down,
/// throttled, unreachable), is tried again later with a doubling wait, and the identity's later records wait behind it. Rows live in the database, so what was not delivered
/// before a restart is delivered after it; two instances may both send a record (at least once, as Kinesis consumers expect).
/// </summary>
public sealed class StreamPublisher(IServiceScopeFactory scopes, IOptionsMonitor<KinesisOptions> options, TimeProvider clock, ILogger<StreamPublisher> log)
    : BackgroundService
{
    const int BatchSize = 500;
    /// <summary>PutRecords' limit for a whole request.</summary>
    const int MaxRequestBytes = 5 * 1024 * 1024;
    bool bulkEnqueued;
    readonly Wakeup wakeup = new();
    TaskCompletionSource roundDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the next publishing round has run (what waits on delivery waits on this, not on time).</summary>
    public Task NextRound() => Volatile.Read(ref roundDone).Task;

    /// <summary>Asks for a round soon (after records were committed).</summary>
    public void Signal() => wakeup.Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quiet = new QuietRounds(scopes, async (db, ct) => !await db.Set<SyncStreamOutboxRow>().AnyAsync(ct)
            && !await db.Set<SyncStreamLinkRow>().AnyAsync(ct)
            && !await db.Set<SyncStreamStatusRow>().AnyAsync(s => s.BulkPublishStatus == BulkStatus.InProgress, ct));
        while (!stoppingToken.IsCancellationRequested)
        {
            var period = TimeSpan.FromSeconds(Math.Max(0.05, options.CurrentValue.PollSeconds));
            try
            {
                var woken = await wakeup.Wait(period, clock, stoppingToken);
                // No record, link or bulk publish waiting: only a commit can bring work, so none means no round.
                if (await quiet.Skip(woken, stoppingToken)) continue;
                while (await Round(stoppingToken) == BatchSize || Volatile.Read(ref bulkEnqueued))
                {
                }
                await quiet.Ended(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A Cognito Streams publishing round failed; it runs again.");
            }
            finally
            {
                Interlocked.Exchange(ref roundDone, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }

    /// <summary>One round: sends up to one batch of due records; answers how many were due.</summary>
    public async Task<int> Round(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var kinesis = scope.ServiceProvider.GetRequiredService<KinesisClient>();
        var now = clock.GetUtcNow();
        Volatile.Write(ref bulkEnqueued, await EnqueueBulkBatches(scope.ServiceProvider, db, ct));
        await db.Set<SyncStreamLinkRow>().Where(l => l.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        var outbox = db.Set<SyncStreamOutboxRow>();
        // One identity's records go in the order they were committed: none overtakes an older one still waiting.
        var due = await outbox.Where(r => r.NextAttemptAt <= now && !outbox.Any(o => o.PartitionKey == r.PartitionKey && o.Id < r.Id && o.NextAttemptAt > now))
            .OrderBy(r => r.Id).Take(BatchSize).ToListAsync(ct);
        // Kinesis is called as each pool's CognitoStreams.RoleArn: one PutRecords per stream and role.
        var poolIds = due.Select(r => r.IdentityPoolId).Distinct().ToList();
        var roles = (await db.Set<SyncPoolRow>().AsNoTracking().Where(p => poolIds.Contains(p.IdentityPoolId)).Select(p => new { p.IdentityPoolId, p.CognitoStreams })
                .ToListAsync(ct))
            .ToDictionary(p => p.IdentityPoolId, p => Operations.SyncPools.Read<Portal.Client.Contract.Sync.CognitoStreams>(p.CognitoStreams)?.RoleArn, StringComparer.Ordinal);
        foreach (var batch in due.GroupBy(r => (r.StreamName, Role: roles.GetValueOrDefault(r.IdentityPoolId))).SelectMany(Chunks))
        {
            var rows = batch.Rows;
            IReadOnlyList<PutResult> results;
            try
            {
                results = await kinesis.PutRecords(batch.Stream.StreamName, batch.Stream.Role, rows.Select(r => (r.PartitionKey, Encoding.UTF8.GetBytes(r.Payload))).ToList(), ct);
            }
            catch (KinesisException e)
            {
                results = rows.Select(_ => new PutResult(null, "ServiceUnavailable", e.Message)).ToList();
            }
            catch (RoleNotAssumedException e)
            {
                // Nothing was sent: the records wait in the outbox and are tried again as after an outage.
                results = rows.Select(_ => new PutResult(null, null, e.Message)).ToList();
            }
            await Settle(db, rows, results, ct);
        }
        await FinishBulkPublishes(db, ct);
        return due.Count;
    }

    /// <summary>A stream's due records in PutRecords requests of at most 5 MB (each record is at most 1 MB, see
    /// <see cref="StreamOutbox.Add"/>).</summary>
    static IEnumerable<((string StreamName, string? Role) Stream, List<SyncStreamOutboxRow> Rows)> Chunks(
        IGrouping<(string StreamName, string? Role), SyncStreamOutboxRow> stream)
    {
        var chunk = new List<SyncStreamOutboxRow>();
        long bytes = 0;
        foreach (var row in stream)
        {
            var size = Encoding.UTF8.GetByteCount(row.Payload) + Encoding.UTF8.GetByteCount(row.PartitionKey);
            if (chunk.Count > 0 && bytes + size > MaxRequestBytes)
            {
                yield return (stream.Key, chunk);
                (chunk, bytes) = ([], 0);
            }
            chunk.Add(row);
            bytes += size;
        }
        if (chunk.Count > 0) yield return (stream.Key, chunk);
    }

    /// <summary>
    /// Puts the next batch of each running bulk publish into the outbox once its previous batch is delivered: the datasets
    /// after the pool's cursor, in (identity, name) order. The batch's records and the cursor's move commit together, and the
    /// move is conditional on the cursor this instance read, so after a restart (or with two instances) the publish resumes
    /// where it stopped and no dataset is put in twice. Answers whether it put any in.
    /// </summary>
    async Task<bool> EnqueueBulkBatches(IServiceProvider services, PortalDb db, CancellationToken ct)
    {
        var statuses = db.Set<SyncStreamStatusRow>();
        var outbox = db.Set<SyncStreamOutboxRow>();
        var running = await statuses.AsNoTracking()
            .Where(s => s.BulkPublishStatus == BulkStatus.InProgress && !s.BulkPublishEnqueued && !outbox.Any(r => r.IdentityPoolId == s.IdentityPoolId && r.Bulk))
            .ToListAsync(ct);
        if (running.Count == 0) return false;
        var streams = services.GetRequiredService<StreamOutbox>();
        var store = services.GetRequiredService<SyncStore>();
        var size = Math.Max(1, options.CurrentValue.BulkPublishBatchSize);
        var any = false;
        foreach (var status in running)
        {
            var poolId = status.IdentityPoolId;
            if (await streams.EnabledStream(poolId, ct) is not { } stream)
            {
                await FailBulkPublish(db, poolId, "Cognito Streams was disabled while the bulk publish ran.", ct);
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (moved, count) = await EnqueueBatch(db, store, streams, poolId, stream.StreamName!, status.BulkPublishCursorIdentityId,
                status.BulkPublishCursorDataset, size, ct);
            if (!moved)
            {
                // Another instance moved it first (or the publish ended): its batch stands, this one is dropped.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                continue;
            }
            await transaction.CommitAsync(ct);
            any |= count > 0;
        }
        return any;
    }

    /// <summary>Adds the outbox records of the next <paramref name="size"/> datasets after the cursor and moves the cursor past
    /// them, conditional on it still being where the caller read it; saves, in the caller's transaction. Answers whether the
    /// cursor moved (if not, the caller rolls back) and how many datasets went in.</summary>
    public static async Task<(bool Moved, int Count)> EnqueueBatch(PortalDb db, SyncStore store, StreamOutbox streams, string poolId, string streamName,
        string? afterId, string? afterName, int size, CancellationToken ct)
    {
        var datasets = store.Datasets.AsNoTracking().Where(d => d.IdentityPoolId == poolId && d.DeletedAt == null);
        if (afterId is not null)
            datasets = datasets.Where(d => string.Compare(d.IdentityId, afterId) > 0 || (d.IdentityId == afterId && string.Compare(d.Name, afterName) > 0));
        var batch = await datasets.OrderBy(d => d.IdentityId).ThenBy(d => d.Name).Take(size).ToListAsync(ct);
        foreach (var dataset in batch)
        {
            var records = await store.Records.AsNoTracking()
                .Where(r => r.IdentityId == dataset.IdentityId && r.DatasetName == dataset.Name && r.Value != null)
                .OrderBy(r => r.Key).ToListAsync(ct);
            streams.Add(streamName, poolId, dataset.IdentityId, dataset.Name, dataset.SyncCount, records.Select(SyncStore.Shape).ToList(), bulk: true);
        }
        var last = batch.Count > 0 ? batch[^1] : null;
        var (nextId, nextName, enqueued) = (last?.IdentityId ?? afterId, last?.Name ?? afterName, batch.Count < size);
        var moved = await db.Set<SyncStreamStatusRow>()
            .Where(s => s.IdentityPoolId == poolId && s.BulkPublishStatus == BulkStatus.InProgress && !s.BulkPublishEnqueued
                        && s.BulkPublishCursorIdentityId == afterId && s.BulkPublishCursorDataset == afterName)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.BulkPublishCursorIdentityId, nextId).SetProperty(x => x.BulkPublishCursorDataset, nextName)
                .SetProperty(x => x.BulkPublishEnqueued, enqueued), ct);
        if (moved == 0)
        {
            db.ChangeTracker.Clear();
            return (false, 0);
        }
        await db.SaveChangesAsync(ct);
        return (true, batch.Count);
    }

    async Task Settle(PortalDb db, List<SyncStreamOutboxRow> rows, IReadOnlyList<PutResult> results, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var o = options.CurrentValue;
        var delivered = new List<long>();
        var failedBulk = new HashSet<string>(StringComparer.Ordinal);
        string? lastError = null;
        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i].SequenceNumber is not null && results[i].ErrorCode is null)
            {
                delivered.Add(rows[i].Id);
                continue;
            }
            var row = rows[i];
            row.Attempts++;
            row.LastError = results[i].ErrorCode is { } code ? $"{code}: {results[i].ErrorMessage}" : results[i].ErrorMessage;
            var wait = Math.Min(Math.Max(1, o.MaxBackoffSeconds), Math.Pow(2, Math.Min(row.Attempts - 1, 20)));
            row.NextAttemptAt = now + TimeSpan.FromSeconds(wait);
            lastError = row.LastError;
            if (row.Bulk && row.Attempts >= Math.Max(1, o.BulkPublishAttempts)) failedBulk.Add(row.IdentityPoolId);
        }
        await db.SaveChangesAsync(ct);
        if (delivered.Count > 0) await db.Set<SyncStreamOutboxRow>().Where(r => delivered.Contains(r.Id)).ExecuteDeleteAsync(ct);
        foreach (var pool in failedBulk) await FailBulkPublish(db, pool, rows.First(r => r.IdentityPoolId == pool && r.Bulk && r.LastError != null && !delivered.Contains(r.Id)).LastError!, ct);
        foreach (var pool in rows.Select(r => r.IdentityPoolId).Distinct())
        {
            var ok = rows.Any(r => r.IdentityPoolId == pool && delivered.Contains(r.Id));
            var error = rows.Where(r => r.IdentityPoolId == pool && !delivered.Contains(r.Id)).Select(r => r.LastError).FirstOrDefault();
            await Status(db, pool, ok ? now : null, error, now, ct);
        }
        if (lastError is not null) log.LogWarning("Cognito Streams: {Count} record(s) not delivered yet: {Error}", rows.Count - delivered.Count, lastError);
    }

    static async Task Status(PortalDb db, string poolId, DateTimeOffset? deliveredAt, string? error, DateTimeOffset now, CancellationToken ct)
    {
        var row = await db.Set<SyncStreamStatusRow>().FirstOrDefaultAsync(s => s.IdentityPoolId == poolId, ct);
        if (row is null)
        {
            if (!await db.Set<IdentityPoolRow>().AnyAsync(p => p.Id == poolId, ct)) return;
            row = new SyncStreamStatusRow { IdentityPoolId = poolId };
            db.Add(row);
        }
        if (deliveredAt is not null) row.LastDeliveredAt = deliveredAt;
        if (error is not null) (row.LastError, row.LastErrorAt) = (error, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance wrote the pool's first status at the same moment: its word stands.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>A bulk record that kept failing fails its bulk publish: its other records are dropped.</summary>
    static async Task FailBulkPublish(PortalDb db, string poolId, string message, CancellationToken ct)
    {
        await db.Set<SyncStreamStatusRow>().Where(s => s.IdentityPoolId == poolId && s.BulkPublishStatus == BulkStatus.InProgress)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.BulkPublishStatus, BulkStatus.Failed).SetProperty(x => x.BulkPublishFailure, message), ct);
        await db.Set<SyncStreamOutboxRow>().Where(r => r.IdentityPoolId == poolId && r.Bulk).ExecuteDeleteAsync(ct);
    }

    /// <summary>A bulk publish whose records are all delivered has SUCCEEDED.</summary>
    async Task FinishBulkPublishes(PortalDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Set<SyncStreamStatusRow>()
            .Where(s => s.BulkPublishStatus == BulkStatus.InProgress && s.BulkPublishEnqueued && !db.Set<SyncStreamOutboxRow>().Any(r => r.IdentityPoolId == s.IdentityPoolId && r.Bulk))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.BulkPublishStatus, BulkStatus.Succeeded).SetProperty(x => x.BulkPublishCompleteTime, now), ct);
    }
}
