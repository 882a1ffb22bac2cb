using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync;

/// <summary>
/// The queries every UpdateRecords and ListRecords runs, compiled once per context type. Uncompiled, EF turns each LINQ
/// query's expression tree into its parameters and looks its SQL up in the query cache at every call (the expression
/// comparison alone cost about as much as running the indexed query in SQLite).
/// </summary>
sealed class SyncQueries : CompiledQueries<SyncQueries>
{
    /// <summary>The dataset's row, deleted or not.</summary>
    public readonly Func<PortalDb, string, string, string, CancellationToken, Task<SyncDatasetRow?>> Dataset = EF.CompileAsyncQuery(
        (PortalDb db, string identityId, string name, string poolId, CancellationToken ct) => db.Set<SyncDatasetRow>().AsNoTracking()
            .FirstOrDefault(d => d.IdentityId == identityId && d.Name == name && d.IdentityPoolId == poolId));

    /// <summary>The stored records of a dataset among the given keys (on SQLite the keys go as one JSON parameter read by
    /// <c>json_each</c>: see <see cref="Storage.StorageSetup"/>).</summary>
    public readonly Func<PortalDb, string, string, List<string>, IAsyncEnumerable<SyncRecordRow>> RecordsByKey = EF.CompileAsyncQuery(
        (PortalDb db, string identityId, string name, List<string> keys) => db.Set<SyncRecordRow>().AsNoTracking()
            .Where(r => r.IdentityId == identityId && r.DatasetName == name && keys.Contains(r.Key)));

    /// <summary>A page of the records changed after a count, in the order devices apply them (one more than the page, to
    /// tell whether another follows), from the start (<c>afterKey</c> null, <c>afterCount</c> the same count) or after a
    /// NextToken's record (<c>afterCount</c>, <c>afterKey</c>).</summary>
    public readonly Func<PortalDb, string, string, long, long, string?, int, IAsyncEnumerable<SyncRecordRow>> ChangedAfter = EF.CompileAsyncQuery(
        (PortalDb db, string identityId, string name, long last, long afterCount, string? afterKey, int take) => db.Set<SyncRecordRow>().AsNoTracking()
            .Where(r => r.IdentityId == identityId && r.DatasetName == name && r.SyncCount > last)
            .Where(r => r.SyncCount > afterCount || (afterKey != null && r.SyncCount == afterCount && string.Compare(r.Key, afterKey) > 0))
            .OrderBy(r => r.SyncCount).ThenBy(r => r.Key).Take(take));

    /// <summary>The names of the live datasets merged into a dataset from other identities.</summary>
    public readonly Func<PortalDb, string, string, IAsyncEnumerable<string>> MergedInto = EF.CompileAsyncQuery(
        (PortalDb db, string identityId, string name) => db.Set<SyncDatasetRow>().AsNoTracking()
            .Where(d => d.IdentityId == identityId && d.MergedFrom == name && d.DeletedAt == null)
            .OrderBy(d => d.Name).Select(d => d.Name));

    /// <summary>The pool's Cognito Events (JSON), null when it has none.</summary>
    public readonly Func<PortalDb, string, CancellationToken, Task<string?>> PoolEvents = EF.CompileAsyncQuery(
        (PortalDb db, string poolId, CancellationToken ct) => db.Set<SyncPoolRow>().AsNoTracking()
            .Where(p => p.IdentityPoolId == poolId).Select(p => p.Events).FirstOrDefault());

    /// <summary>The pool's Cognito Streams setting (JSON), null when it has none.</summary>
    public readonly Func<PortalDb, string, CancellationToken, Task<string?>> PoolStreams = EF.CompileAsyncQuery(
        (PortalDb db, string poolId, CancellationToken ct) => db.Set<SyncPoolRow>().AsNoTracking()
            .Where(p => p.IdentityPoolId == poolId).Select(p => p.CognitoStreams).FirstOrDefault());

    /// <summary>The devices subscribed to a dataset, but the one that made the change.</summary>
    public readonly Func<PortalDb, string, string, string, IAsyncEnumerable<string>> SubscribersBut = EF.CompileAsyncQuery(
        (PortalDb db, string identityId, string name, string byDevice) => db.Set<Push.SyncSubscriptionRow>().AsNoTracking()
            .Where(s => s.IdentityId == identityId && s.DatasetName == name && s.DeviceId != byDevice).Select(s => s.DeviceId));
}
