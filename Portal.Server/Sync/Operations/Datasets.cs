using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;

namespace Portal.Server.Sync.Operations;

/// <summary>An identity's datasets (deleted ones not), by name, paged.</summary>
sealed class ListDatasets(SyncStore store) : IOperation<ListDatasetsRequest, ListDatasetsResponse>
{
    public async Task<ListDatasetsResponse> Handle(ListDatasetsRequest request, CancellationToken ct)
    {
        var size = request.MaxResults ?? SyncLimits.MaxDatasetsPage;
        var query = store.Datasets.AsNoTracking()
            .Where(d => d.IdentityId == request.IdentityId && d.IdentityPoolId == request.IdentityPoolId && d.DeletedAt == null);
        if (request.NextToken is { } next)
        {
            var after = SyncStore.ReadPageToken(next, 1)[0];
            query = query.Where(d => string.Compare(d.Name, after) > 0);
        }
        var page = await query.OrderBy(d => d.Name).Take(size + 1).ToListAsync(ct);
        var more = page.Count > size;
        if (more) page.RemoveAt(size);
        return new ListDatasetsResponse
        {
            Datasets = page.Select(SyncStore.Shape).ToList(),
            Count = page.Count,
            NextToken = more ? SyncStore.PageToken(page[^1].Name) : null,
        };
    }
}

sealed class DescribeDataset(SyncStore store) : IOperation<DescribeDatasetRequest, DescribeDatasetResponse>
{
    public async Task<DescribeDatasetResponse> Handle(DescribeDatasetRequest request, CancellationToken ct) =>
        new() { Dataset = SyncStore.Shape(await store.Live(request.IdentityPoolId!, request.IdentityId!, request.DatasetName!, ct)) };
}

/// <summary>Deletes a dataset: its records go, its row stays marked deleted with its SyncCount raised (conditionally, as
/// any change), so devices that synced it learn of the deletion and a dataset made again under the name counts on. The
/// dataset's subscribed devices get the push sync notification of the change.</summary>
sealed class DeleteDataset(SyncStore store, SyncUsage usage, TimeProvider clock, Streams.StreamOutbox streams, Push.PushOutbox push)
    : IOperation<DeleteDatasetRequest, DeleteDatasetResponse>
{
    public async Task<DeleteDatasetResponse> Handle(DeleteDatasetRequest request, CancellationToken ct)
    {
        var (identityId, name) = (request.IdentityId!, request.DatasetName!);
        var dataset = await store.Live(request.IdentityPoolId!, identityId, name, ct);
        var now = clock.GetUtcNow();
        var updated = await store.Datasets
            .Where(d => d.IdentityId == identityId && d.Name == name && d.SyncCount == dataset.SyncCount && d.DeletedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.SyncCount, d => d.SyncCount + 1)
                .SetProperty(d => d.DeletedAt, now)
                .SetProperty(d => d.LastModifiedAt, now)
                .SetProperty(d => d.DataStorage, 0)
                .SetProperty(d => d.NumRecords, 0), ct);
        if (updated == 0) throw new ResourceConflictException($"Dataset '{name}' was changed while it was being deleted; try again.");
        // Cognito Streams: the deletion goes into the outbox in this same transaction (operation remove).
        await streams.Deleted(request.IdentityPoolId!, identityId, name, dataset.SyncCount + 1, now, ct);
        await store.Records.Where(r => r.IdentityId == identityId && r.DatasetName == name).ExecuteDeleteAsync(ct);
        // Push sync: the dataset's subscribed devices hear of the change (its new count), as of any other; syncing, they
        // learn it was deleted (ListRecords' DatasetDeletedAfterRequestedSyncCount). The request names no device: all hear.
        await push.Changed(request.IdentityPoolId!, identityId, name, dataset.SyncCount + 1, byDevice: null, ct);
        usage.Changed(request.IdentityPoolId!, -1, -dataset.DataStorage);
        return new DeleteDatasetResponse { Dataset = SyncStore.Shape(dataset) };
    }
}
