using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Storage;
using DescribeIdentityPoolUsageRequest = Portal.Client.Contract.Sync.DescribeIdentityPoolUsageRequest;
using DescribeIdentityPoolUsageResponse = Portal.Client.Contract.Sync.DescribeIdentityPoolUsageResponse;

namespace Portal.Server.Sync.Operations;

/// <summary>An identity's datasets and bytes.</summary>
sealed class DescribeIdentityUsage(SyncStore store) : IOperation<DescribeIdentityUsageRequest, DescribeIdentityUsageResponse>
{
    public async Task<DescribeIdentityUsageResponse> Handle(DescribeIdentityUsageRequest request, CancellationToken ct)
    {
        var (poolId, identityId) = (request.IdentityPoolId!, request.IdentityId!);
        await store.RequireIdentity(poolId, identityId, ct);
        var live = await store.Datasets.AsNoTracking().Where(d => d.IdentityId == identityId && d.DeletedAt == null)
            .Select(d => new { d.DataStorage, d.LastModifiedAt }).ToListAsync(ct);
        var lastChange = await store.Datasets.AsNoTracking().Where(d => d.IdentityId == identityId)
            .OrderByDescending(d => d.LastModifiedAt).Select(d => (DateTimeOffset?)d.LastModifiedAt).FirstOrDefaultAsync(ct);
        return new DescribeIdentityUsageResponse
        {
            IdentityUsage = new IdentityUsage
            {
                IdentityId = identityId, IdentityPoolId = poolId, DatasetCount = live.Count, DataStorage = live.Sum(d => d.DataStorage),
                LastModifiedDate = lastChange,
            },
        };
    }
}

/// <summary>A pool's usage: bytes stored, sync sessions (committed UpdateRecords calls), its last change.</summary>
sealed class DescribeIdentityPoolUsage(SyncStore store) : IOperation<DescribeIdentityPoolUsageRequest, DescribeIdentityPoolUsageResponse>
{
    public async Task<DescribeIdentityPoolUsageResponse> Handle(DescribeIdentityPoolUsageRequest request, CancellationToken ct)
    {
        await store.RequirePool(request.IdentityPoolId!, ct);
        return new DescribeIdentityPoolUsageResponse { IdentityPoolUsage = (await PoolUsage.Of(store, [request.IdentityPoolId!], ct))[0] };
    }
}

/// <summary>Every identity pool's usage, by pool id, paged.</summary>
sealed class ListIdentityPoolUsage(SyncStore store) : IOperation<ListIdentityPoolUsageRequest, ListIdentityPoolUsageResponse>
{
    public async Task<ListIdentityPoolUsageResponse> Handle(ListIdentityPoolUsageRequest request, CancellationToken ct)
    {
        var size = request.MaxResults ?? 60;
        var pools = store.Db.Set<IdentityPoolRow>().AsNoTracking().Select(p => p.Id);
        if (request.NextToken is { } next)
        {
            var after = SyncStore.ReadPageToken(next, 1)[0];
            pools = pools.Where(id => string.Compare(id, after) > 0);
        }
        var page = await pools.OrderBy(id => id).Take(size + 1).ToListAsync(ct);
        var more = page.Count > size;
        if (more) page.RemoveAt(size);
        var usages = await PoolUsage.Of(store, page, ct);
        return new ListIdentityPoolUsageResponse
        {
            IdentityPoolUsages = usages, Count = usages.Count, MaxResults = size, NextToken = more ? SyncStore.PageToken(page[^1]) : null,
        };
    }
}

static class PoolUsage
{
    /// <summary>Usage of the given pools, in their order, summed in one grouped query.</summary>
    public static async Task<List<IdentityPoolUsage>> Of(SyncStore store, List<string> poolIds, CancellationToken ct)
    {
        var sums = await store.Datasets.AsNoTracking().Where(d => poolIds.Contains(d.IdentityPoolId))
            .GroupBy(d => d.IdentityPoolId)
            .Select(g => new { Pool = g.Key, Bytes = g.Sum(d => d.DataStorage), Sessions = g.Sum(d => d.SyncSessions), Last = g.Max(d => d.LastModifiedAt) })
            .ToListAsync(ct);
        return poolIds.Select(id => sums.FirstOrDefault(s => s.Pool == id) is { } s
                ? new IdentityPoolUsage { IdentityPoolId = id, DataStorage = s.Bytes, SyncSessionsCount = s.Sessions, LastModifiedDate = s.Last }
                : new IdentityPoolUsage { IdentityPoolId = id, DataStorage = 0, SyncSessionsCount = 0 })
            .ToList();
    }
}

/// <summary>The Sync page's usage per day: today's totals from the datasets, each earlier day's from the changes
/// counted after it (<see cref="SyncUsage"/>), and the sync operations of each day.</summary>
sealed class DescribeSyncUsage(SyncStore store, SyncUsage usage, TimeProvider clock) : IOperation<DescribeSyncUsageRequest, DescribeSyncUsageResponse>
{
    public async Task<DescribeSyncUsageResponse> Handle(DescribeSyncUsageRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var days = request.Days ?? 30;
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var dates = Enumerable.Range(0, days).Select(i => today.AddDays(i - (days - 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var rows = (await usage.Since(store.Db, poolId, dates[0], ct)).ToDictionary(r => r.Day, StringComparer.Ordinal);
        var now = await store.Datasets.AsNoTracking().Where(d => d.IdentityPoolId == poolId && d.DeletedAt == null)
            .GroupBy(d => 1).Select(g => new { Count = g.LongCount(), Bytes = g.Sum(d => d.DataStorage) }).FirstOrDefaultAsync(ct);
        long datasets = now?.Count ?? 0, bytes = now?.Bytes ?? 0;
        var answer = new SyncUsageDay[days];
        for (var i = days - 1; i >= 0; i--)
        {
            var row = rows.GetValueOrDefault(dates[i]);
            // Datasets that vanished with their identity were never counted as a change: a day never goes below zero.
            answer[i] = new SyncUsageDay { Date = dates[i], Datasets = Math.Max(0, datasets), DataStorage = Math.Max(0, bytes), SyncOperations = row?.SyncOperations ?? 0 };
            datasets -= row?.DatasetsChange ?? 0;
            bytes -= row?.BytesChange ?? 0;
        }
        return new DescribeSyncUsageResponse { Days = [.. answer] };
    }
}
