using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;

namespace Portal.Server.Sync.Operations;

/// <summary>
/// Applies a device's record patches to a dataset, all or nothing. Each patch names the SyncCount the device last saw of
/// its record (0 for a new one); a stale count is a conflict (ResourceConflictException) and nothing of the request is
/// applied. The dataset's SyncCount rises by one through a conditional update on the value read, in the operation's one
/// transaction: of two devices writing at once, one wins and the other gets the conflict and syncs again. The limits (20
/// datasets per identity, 1,024 records and 1 MB per dataset) are checked on the result before anything is written.
/// </summary>
sealed class UpdateRecords(SyncStore store, SyncUsage usage, TimeProvider clock, Push.PushOutbox push,
    Events.SyncTriggerEvent syncTrigger, Streams.StreamOutbox streams) : IOperation<UpdateRecordsRequest, UpdateRecordsResponse>
{
    public async Task<UpdateRecordsResponse> Handle(UpdateRecordsRequest request, CancellationToken ct)
    {
        var (poolId, identityId, name) = (request.IdentityPoolId!, request.IdentityId!, request.DatasetName!);
        store.CheckSyncSession(request.SyncSessionToken, identityId, name);
        var patches = request.RecordPatches ?? [];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var patch in patches)
        {
            if (!keys.Add(patch.Key!))
                throw new InvalidParameterException($"The record key '{patch.Key}' is patched more than once.", "RecordPatches");
            if (patch.Op == "replace" && patch.Value is null)
                throw new InvalidParameterException($"A replace patch needs a Value (record '{patch.Key}').", "RecordPatches");
            if (patch.SyncCount < 0)
                throw new InvalidParameterException($"SyncCount of record '{patch.Key}' must not be negative.", "RecordPatches");
        }

        var dataset = await store.Find(poolId, identityId, name, ct);
        if (dataset is null || dataset.DeletedAt is not null)
        {
            await store.RequireIdentity(poolId, identityId, ct);
            await store.LockIdentity(identityId, ct);
            var live = await store.Datasets.CountAsync(d => d.IdentityId == identityId && d.DeletedAt == null, ct);
            if (live >= SyncLimits.DatasetsPerIdentity)
                throw new LimitExceededException($"An identity may hold at most {SyncLimits.DatasetsPerIdentity} datasets.");
        }

        var keyList = keys.ToList();
        var existing = keyList.Count == 0 || dataset is null ? []
            : await SyncQueries.ToList(SyncQueries.For(store.Db).RecordsByKey(store.Db, identityId, name, keyList), ct);
        var byKey = existing.ToDictionary(r => r.Key, StringComparer.Ordinal);

        foreach (var patch in patches)
        {
            var current = byKey.TryGetValue(patch.Key!, out var row) ? row.SyncCount : 0;
            if (patch.SyncCount != current)
                throw new ResourceConflictException($"Current SyncCount for: {patch.Key} is: {current}");
        }
        // Cognito Events: the pool's SyncTrigger sees the patch before anything is written, and may change or reject it.
        patches = await syncTrigger.Apply(poolId, identityId, name, patches, byKey, ct);

        var now = clock.GetUtcNow();
        var oldCount = dataset?.SyncCount ?? 0;
        var newCount = oldCount + 1;
        var live0 = dataset is { DeletedAt: null };
        long storage = live0 ? dataset!.DataStorage : 0, records = live0 ? dataset!.NumRecords : 0;
        foreach (var patch in patches)
        {
            if (byKey.TryGetValue(patch.Key!, out var old) && old.Value is not null)
            {
                storage -= SyncStore.Size(old.Key, old.Value);
                records--;
            }
            var value = patch.Op == "replace" ? patch.Value : null;
            if (value is not null)
            {
                storage += SyncStore.Size(patch.Key!, value);
                records++;
            }
        }
        if (records > SyncLimits.RecordsPerDataset)
            throw new LimitExceededException($"A dataset may hold at most {SyncLimits.RecordsPerDataset} records.");
        if (storage > SyncLimits.BytesPerDataset)
            throw new LimitExceededException($"A dataset may hold at most {SyncLimits.BytesPerDataset} bytes (1 MB).");

        if (dataset is null)
        {
            store.Datasets.Add(new SyncDatasetRow
            {
                IdentityId = identityId, Name = name, IdentityPoolId = poolId, CreatedAt = now, LastModifiedAt = now, LastModifiedBy = identityId,
                SyncCount = newCount, DataStorage = storage, NumRecords = records, SyncSessions = 1,
            });
            try
            {
                await store.Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another device made the dataset at the same moment (the primary key says so): it won.
                throw new ResourceConflictException($"Dataset '{name}' was changed by another device; sync again.");
            }
        }
        else
        {
            // Made again after a deletion: a new dataset whose count goes on from the old one's.
            var updated = await RecordWrites.AdvanceDataset(store.Db, identityId, name, oldCount, newCount, storage, records, now,
                recreated: dataset.DeletedAt is not null, ct);
            if (updated == 0)
                throw new ResourceConflictException($"Dataset '{name}' was changed by another device; sync again.");
        }

        var answer = new List<Record>(patches.Count);
        foreach (var patch in patches)
        {
            answer.Add(new Record
            {
                Key = patch.Key, Value = patch.Op == "replace" ? patch.Value : null, SyncCount = newCount, LastModifiedDate = now,
                LastModifiedBy = identityId, DeviceLastModifiedDate = patch.DeviceLastModifiedDate?.ToUniversalTime() ?? now,
            });
        }
        await RecordWrites.Upsert(store.Db, identityId, name, answer, ct);
        // Cognito Streams: the change's record goes into the outbox in this same transaction.
        await streams.Changed(poolId, identityId, name, newCount, answer, ct);
        if (store.Db.ChangeTracker.HasChanges()) await store.Db.SaveChangesAsync(ct);
        // Push sync: the identity's other subscribed devices hear of the change once it is committed (Sync/Push).
        if (patches.Count > 0) await push.Changed(poolId, identityId, name, newCount, request.DeviceId, ct);
        usage.Synced(poolId, live0 ? 0 : 1, storage - (live0 ? dataset!.DataStorage : 0));
        return new UpdateRecordsResponse { Records = answer };
    }
}
