using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync;

/// <summary>
/// Datasets when identity pools merge two identities (a login linking them, MergeDeveloperIdentities): as Cognito does,
/// each live dataset of the identity merged away appears under the surviving identity as <c>{name}.{merged identity's
/// id}</c>, with its records and counts, and ListRecords of <c>{name}</c> names it in MergedDatasetNames, so the clients'
/// onDatasetsMerged lets the app fold it in (and delete it). Runs in the merge's transaction, before the merged
/// identity's row (and, by cascade, its own datasets) goes.
/// <para>Push sync: the merged identity's devices now belong to the survivor (their credentials come for it from now on),
/// with their subscriptions; a device registered under both keeps the survivor's registration. Every device of the
/// survivor subscribed to a dataset name that was merged hears of it (the survivor's identity id, the dataset's name and
/// count), so it synchronizes, learns of the merged dataset and, if it was the merged identity's, of its new identity.</para>
/// </summary>
public static class SyncMerge
{
    public static async Task Datasets(PortalDb db, Push.PushOutbox push, string fromIdentityId, string intoIdentityId, DateTimeOffset now, CancellationToken ct)
    {
        await MoveDevices(db, fromIdentityId, intoIdentityId, ct);
        var datasets = await db.Set<SyncDatasetRow>().AsNoTracking().Where(d => d.IdentityId == fromIdentityId && d.DeletedAt == null).ToListAsync(ct);
        if (datasets.Count == 0) return;
        foreach (var dataset in datasets)
        {
            var name = $"{dataset.Name}.{fromIdentityId}";
            // A dataset name holds 128 characters at most: a longer merged name keeps the end that names the identity.
            if (name.Length > 128) name = name[^128..];
            db.Set<SyncDatasetRow>().Add(new SyncDatasetRow
            {
                IdentityId = intoIdentityId, Name = name, IdentityPoolId = dataset.IdentityPoolId, CreatedAt = now, LastModifiedAt = now,
                LastModifiedBy = dataset.LastModifiedBy, SyncCount = dataset.SyncCount, DataStorage = dataset.DataStorage,
                NumRecords = dataset.NumRecords, SyncSessions = dataset.SyncSessions, MergedFrom = dataset.Name,
            });
            var records = await db.Set<SyncRecordRow>().AsNoTracking()
                .Where(r => r.IdentityId == fromIdentityId && r.DatasetName == dataset.Name && r.Value != null).ToListAsync(ct);
            foreach (var r in records)
                db.Set<SyncRecordRow>().Add(new SyncRecordRow
                {
                    IdentityId = intoIdentityId, DatasetName = name, Key = r.Key, Value = r.Value, SyncCount = r.SyncCount,
                    LastModifiedAt = r.LastModifiedAt, LastModifiedBy = r.LastModifiedBy, DeviceLastModifiedAt = r.DeviceLastModifiedAt,
                });
        }
        await db.SaveChangesAsync(ct);

        var names = datasets.Select(d => d.Name).ToList();
        var subscribed = await db.Set<Push.SyncSubscriptionRow>().AsNoTracking()
            .Where(s => s.IdentityId == intoIdentityId && names.Contains(s.DatasetName)).ToListAsync(ct);
        var counts = await db.Set<SyncDatasetRow>().AsNoTracking().Where(d => d.IdentityId == intoIdentityId && names.Contains(d.Name))
            .ToDictionaryAsync(d => d.Name, d => d.SyncCount, ct);
        foreach (var dataset in datasets)
        {
            var devices = subscribed.Where(s => s.DatasetName == dataset.Name).Select(s => (s.DeviceId, dataset.IdentityPoolId, intoIdentityId)).ToList();
            if (devices.Count > 0) await push.Queue(devices, dataset.Name, counts.GetValueOrDefault(dataset.Name), ct);
        }
    }

    /// <summary>The merged identity's devices and their subscriptions go to the survivor; one whose token the survivor
    /// registered already is dropped (its subscriptions and pending notifications with it).</summary>
    static async Task MoveDevices(PortalDb db, string fromIdentityId, string intoIdentityId, CancellationToken ct)
    {
        var devices = db.Set<Push.SyncDeviceRow>();
        if (!await devices.AnyAsync(d => d.IdentityId == fromIdentityId, ct)) return;
        await devices.Where(d => d.IdentityId == fromIdentityId
                && devices.Any(o => o.IdentityId == intoIdentityId && o.Platform == d.Platform && o.TokenHash == d.TokenHash))
            .ExecuteDeleteAsync(ct);
        await devices.Where(d => d.IdentityId == fromIdentityId).ExecuteUpdateAsync(s => s.SetProperty(d => d.IdentityId, intoIdentityId), ct);
        await db.Set<Push.SyncSubscriptionRow>().Where(s => s.IdentityId == fromIdentityId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IdentityId, intoIdentityId), ct);
        await db.Set<Push.SyncPushOutboxRow>().Where(o => o.IdentityId == fromIdentityId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IdentityId, intoIdentityId), ct);
    }
}
