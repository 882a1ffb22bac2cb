using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync;

/// <summary>
/// Datasets when identity pools merge two identities (a login linking them, MergeDeveloperIdentities): as Cognito does,
/// each live dataset of the identity merged away appears under the surviving identity as <c>{name}.{merged identity's
/// id}</c>, with its records and counts, and ListRecords of <c>{name}</c> names it in MergedDatasetNames, so the clients'
/// onDatasetsMerged lets the app fold it in (and delete it). Runs in the merge's transaction, before the merged
/// identity's row (and, by cascade, its own datasets) goes.
/// </summary>
public static class SyncMerge
{
    public static async Task Datasets(PortalDb db, string fromIdentityId, string intoIdentityId, DateTimeOffset now, CancellationToken ct)
    {
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
    }
}
