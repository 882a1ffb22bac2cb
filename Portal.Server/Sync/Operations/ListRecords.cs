using System.Globalization;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;

namespace Portal.Server.Sync.Operations;

/// <summary>The records changed after <c>LastSyncCount</c> (all of them from 0), removed ones as tombstones (no Value),
/// in the order of their SyncCount, paged; with the dataset's count, whether it exists or was deleted since, the names of
/// datasets merged into it from other identities, and a SyncSessionToken for the UpdateRecords that follows.</summary>
sealed class ListRecords(SyncStore store, SyncUsage usage) : IOperation<ListRecordsRequest, ListRecordsResponse>
{
    public async Task<ListRecordsResponse> Handle(ListRecordsRequest request, CancellationToken ct)
    {
        var (poolId, identityId, name) = (request.IdentityPoolId!, request.IdentityId!, request.DatasetName!);
        var last = request.LastSyncCount ?? 0;
        var size = request.MaxResults ?? SyncLimits.MaxRecordsPage;
        var dataset = await store.Find(poolId, identityId, name, ct);
        var token = store.NewSyncSession(identityId, name);
        usage.Synced(poolId);
        if (dataset is null || dataset.DeletedAt is not null)
            return new ListRecordsResponse
            {
                Records = [], Count = 0, DatasetSyncCount = dataset?.SyncCount ?? 0, DatasetExists = false,
                DatasetDeletedAfterRequestedSyncCount = dataset is not null && last > 0 && last < dataset.SyncCount,
                LastModifiedBy = dataset?.LastModifiedBy, MergedDatasetNames = [], SyncSessionToken = token,
            };

        var queries = SyncQueries.For(store.Db);
        // From the start (what a device's every sync asks) or after the NextToken's record: one compiled query.
        var (afterCount, afterKey) = (last, (string?)null);
        if (request.NextToken is { } next)
        {
            var at = SyncStore.ReadPageToken(next, 2);
            if (!long.TryParse(at[0], NumberStyles.None, CultureInfo.InvariantCulture, out afterCount))
                throw new Portal.Client.Contract.InvalidParameterException("Invalid NextToken.", "NextToken");
            afterKey = at[1];
        }
        var page = await SyncQueries.ToList(queries.ChangedAfter(store.Db, identityId, name, last, afterCount, afterKey, size + 1), ct);
        var more = page.Count > size;
        if (more) page.RemoveAt(size);
        var merged = await SyncQueries.ToList(queries.MergedInto(store.Db, identityId, name), ct);
        return new ListRecordsResponse
        {
            Records = page.Select(SyncStore.Shape).ToList(),
            Count = page.Count,
            NextToken = more ? SyncStore.PageToken(page[^1].SyncCount.ToString(CultureInfo.InvariantCulture), page[^1].Key) : null,
            DatasetSyncCount = dataset.SyncCount,
            LastModifiedBy = dataset.LastModifiedBy,
            MergedDatasetNames = merged,
            DatasetExists = true,
            DatasetDeletedAfterRequestedSyncCount = false,
            SyncSessionToken = token,
        };
    }
}
