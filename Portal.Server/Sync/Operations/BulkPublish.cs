using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Sync.Streams;

namespace Portal.Server.Sync.Operations;

/// <summary>
/// Publishes every live dataset of the pool to its Cognito stream once: this operation moves the pool's status to
/// IN_PROGRESS (with its cursor at the start) and the publisher puts the datasets into the outbox in batches of
/// <c>Portal:Sync:Kinesis:BulkPublishBatchSize</c>, one record per dataset (all its records, at its sync count), the next
/// batch once the last one is delivered; the cursor lives in the database, so a restart resumes the publish. It is
/// SUCCEEDED when the last record is acknowledged, FAILED when one keeps failing. One at a time per pool: the status moves
/// to IN_PROGRESS by a conditional update, so a second request meanwhile is DuplicateRequestException. As on AWS, a pool
/// whose stream is not ENABLED cannot bulk publish, and one whose last bulk publish succeeded less than 24 hours ago gets
/// AlreadyStreamedException.
/// </summary>
sealed class BulkPublish(SyncStore store, StreamOutbox outbox, StreamPublisher publisher, IOptionsMonitor<KinesisOptions> options, TimeProvider clock) : IOperation<BulkPublishRequest, BulkPublishResponse>
{
    public async Task<BulkPublishResponse> Handle(BulkPublishRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var stream = await outbox.EnabledStream(poolId, ct)
                     ?? throw new InvalidParameterException("Cognito Streams is not ENABLED for this identity pool: bulk publish needs an enabled stream.", "IdentityPoolId");
        var now = clock.GetUtcNow();
        var statuses = store.Db.Set<SyncStreamStatusRow>();
        if (!await statuses.AnyAsync(s => s.IdentityPoolId == poolId, ct))
        {
            statuses.Add(new SyncStreamStatusRow { IdentityPoolId = poolId });
            try
            {
                await store.Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new DuplicateRequestException("A bulk publish of this identity pool is already in progress.");
            }
        }
        var dayAgo = now - TimeSpan.FromHours(24);
        if (await statuses.AnyAsync(s => s.IdentityPoolId == poolId && s.BulkPublishStatus == BulkStatus.Succeeded && s.BulkPublishCompleteTime > dayAgo, ct))
            throw new AlreadyStreamedException("A bulk publish of this identity pool succeeded less than 24 hours ago.");
        var started = await statuses.Where(s => s.IdentityPoolId == poolId && s.BulkPublishStatus != BulkStatus.InProgress)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.BulkPublishStatus, BulkStatus.InProgress)
                .SetProperty(x => x.BulkPublishStartTime, now)
                .SetProperty(x => x.BulkPublishCompleteTime, (DateTimeOffset?)null)
                .SetProperty(x => x.BulkPublishFailure, (string?)null)
                .SetProperty(x => x.BulkPublishCursorIdentityId, (string?)null)
                .SetProperty(x => x.BulkPublishCursorDataset, (string?)null)
                .SetProperty(x => x.BulkPublishEnqueued, false), ct);
        if (started == 0) throw new DuplicateRequestException("A bulk publish of this identity pool is already in progress.");
        // The first batch goes into the outbox with this operation's work; the publisher puts in the next ones, each once the
        // last is delivered (see StreamPublisher.EnqueueBulkBatches).
        await StreamPublisher.EnqueueBatch(store.Db, store, outbox, poolId, stream.StreamName!, null, null, Math.Max(1, options.CurrentValue.BulkPublishBatchSize), ct);
        publisher.Signal();
        return new BulkPublishResponse { IdentityPoolId = poolId };
    }
}

sealed class GetBulkPublishDetails(SyncStore store) : IOperation<GetBulkPublishDetailsRequest, GetBulkPublishDetailsResponse>
{
    public async Task<GetBulkPublishDetailsResponse> Handle(GetBulkPublishDetailsRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var row = await store.Db.Set<SyncStreamStatusRow>().AsNoTracking().FirstOrDefaultAsync(s => s.IdentityPoolId == poolId, ct);
        return new GetBulkPublishDetailsResponse
        {
            IdentityPoolId = poolId,
            BulkPublishStatus = row?.BulkPublishStatus ?? BulkStatus.NotStarted,
            BulkPublishStartTime = row?.BulkPublishStartTime,
            BulkPublishCompleteTime = row?.BulkPublishCompleteTime,
            FailureMessage = row?.BulkPublishFailure,
        };
    }
}
