using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;

namespace Portal.Server.Sync.Streams;

/// <summary>
/// Writes Cognito Streams records into the outbox, in the caller's unit of work (so a change and its record commit or
/// roll back together); <see cref="StreamPublisher"/> sends them. A pool whose CognitoStreams is not ENABLED gets none.
/// </summary>
public sealed class StreamOutbox(SyncStore store, TimeProvider clock)
{
    /// <summary>The pool's enabled stream, or null.</summary>
    public async Task<CognitoStreams?> EnabledStream(string identityPoolId, CancellationToken ct)
    {
        var json = await store.Pools.AsNoTracking().Where(p => p.IdentityPoolId == identityPoolId).Select(p => p.CognitoStreams).FirstOrDefaultAsync(ct);
        return json is null ? null : System.Text.Json.JsonSerializer.Deserialize<CognitoStreams>(json, CognitoJson.Options) is { StreamingStatus: "ENABLED" } s
            && !string.IsNullOrEmpty(s.StreamName) ? s : null;
    }

    /// <summary>Adds the record of one committed change of a dataset (saved with the caller's work).</summary>
    public async Task Changed(string identityPoolId, string identityId, string datasetName, long syncCount, IReadOnlyList<Record> records,
        CancellationToken ct)
    {
        if (records.Count == 0 || await EnabledStream(identityPoolId, ct) is not { } stream) return;
        Add(stream.StreamName!, identityPoolId, identityId, datasetName, syncCount, records, bulk: false);
    }

    /// <summary>Adds the record of a dataset's deletion (operation <c>remove</c>, each live record removed) and saves it
    /// with the caller's work; called before the records are deleted.</summary>
    public async Task Deleted(string identityPoolId, string identityId, string datasetName, long syncCount, DateTimeOffset at, CancellationToken ct)
    {
        if (await EnabledStream(identityPoolId, ct) is not { } stream) return;
        var keys = await store.Records.AsNoTracking().Where(r => r.IdentityId == identityId && r.DatasetName == datasetName && r.Value != null)
            .OrderBy(r => r.Key).Select(r => r.Key).ToListAsync(ct);
        Add(stream.StreamName!, identityPoolId, identityId, datasetName, syncCount,
            keys.Select(k => new Record { Key = k, Value = null, SyncCount = syncCount, LastModifiedDate = at }).ToList(), bulk: false, deleted: true);
        await store.Db.SaveChangesAsync(ct);
    }

    public SyncStreamOutboxRow Add(string streamName, string identityPoolId, string identityId, string datasetName, long syncCount,
        IReadOnlyList<Record> records, bool bulk, bool deleted = false)
    {
        var now = clock.GetUtcNow();
        var row = new SyncStreamOutboxRow
        {
            IdentityPoolId = identityPoolId, StreamName = streamName, PartitionKey = identityId, Bulk = bulk, CreatedAt = now, NextAttemptAt = now,
            Payload = Payload(identityPoolId, identityId, datasetName, syncCount, now, records, deleted).ToJsonString(),
        };
        store.Db.Add(row);
        return row;
    }

    /// <summary>The record as Cognito Streams documents it: the change's records inline (payloadType Inline), dates in epoch
    /// milliseconds; <c>operation</c> is <c>remove</c> when the dataset was deleted or every record of the change removed.</summary>
    public static JsonObject Payload(string identityPoolId, string identityId, string datasetName, long syncCount, DateTimeOffset at,
        IReadOnlyList<Record> records, bool deleted = false) => new()
        {
            ["identityPoolId"] = identityPoolId,
            ["identityId"] = identityId,
            ["dataSetName"] = datasetName,
            ["operation"] = deleted || (records.Count > 0 && records.All(r => r.Value is null)) ? "remove" : "replace",
            ["kinesisSyncRecords"] = new JsonArray(records.Select(r => (JsonNode)new JsonObject
            {
                ["key"] = r.Key,
                ["value"] = r.Value,
                ["syncCount"] = r.SyncCount,
                ["lastModifiedDate"] = (r.LastModifiedDate ?? at).ToUnixTimeMilliseconds(),
                ["deviceLastModifiedDate"] = (r.DeviceLastModifiedDate ?? r.LastModifiedDate ?? at).ToUnixTimeMilliseconds(),
                ["op"] = r.Value is null ? "remove" : "replace",
            }).ToArray()),
            ["lastModifiedDate"] = at.ToUnixTimeMilliseconds(),
            ["kinesisSyncRecordsURL"] = null,
            ["payloadType"] = "Inline",
            ["syncCount"] = syncCount,
            ["version"] = 2,
        };
}
