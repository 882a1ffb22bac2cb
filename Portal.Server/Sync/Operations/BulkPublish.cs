using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Sync.Streams;

namespace Portal.Server.Sync.Operations;

/// <summary>
/// Publishes every live dataset of the pool to its Cognito stream once: one outbox record per dataset (all its records,
/// at its sync count), written in this operation's transaction with the status IN_PROGRESS; the publisher marks it
/// SUCCEEDED when the last of them is acknowledged, FAILED when one keeps failing. One at a time per pool: the status moves
/// to IN_PROGRESS by a conditional update, so a second request meanwhile is DuplicateRequestException. As on AWS, a pool
/// whose stream is not ENABLED cannot bulk publish, and one whose last bulk publish succeeded less than 24 hours ago gets
/// AlreadyStreamedException.
/// </summary>
sealed class BulkPublish(SyncStore store, StreamOutbox outbox, TimeProvider clock) : IOperation<BulkPublishRequest, BulkPublishResponse>
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
                .SetProperty(x => x.BulkPublishFailure, (string?)null), ct);
        if (started == 0) throw new DuplicateRequestException("A bulk publish of this identity pool is already in progress.");

        var datasets = await store.Datasets.AsNoTracking().Where(d => d.IdentityPoolId == poolId && d.DeletedAt == null)
            .OrderBy(d => d.IdentityId).ThenBy(d => d.Name).ToListAsync(ct);
        foreach (var dataset in datasets)
        {
            var records = await store.Records.AsNoTracking()
                .Where(r => r.IdentityId == dataset.IdentityId && r.DatasetName == dataset.Name && r.Value != null)
                .OrderBy(r => r.Key).ToListAsync(ct);
            outbox.Add(stream.StreamName!, poolId, dataset.IdentityId, dataset.Name, dataset.SyncCount, records.Select(SyncStore.Shape).ToList(), bulk: true);
        }
        await store.Db.SaveChangesAsync(ct);
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
