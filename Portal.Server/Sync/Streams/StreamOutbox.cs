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

    public SyncStreamOutboxRow Add(string streamName, string identityPoolId, string identityId, string datasetName, long syncCount,
        IReadOnlyList<Record> records, bool bulk)
    {
        var now = clock.GetUtcNow();
        var row = new SyncStreamOutboxRow
        {
            IdentityPoolId = identityPoolId, StreamName = streamName, PartitionKey = identityId, Bulk = bulk, CreatedAt = now, NextAttemptAt = now,
            Payload = Payload(identityPoolId, identityId, datasetName, syncCount, now, records).ToJsonString(),
        };
        store.Db.Add(row);
        return row;
    }

    /// <summary>The record as Cognito Streams documents it: the change's records inline (payloadType Inline), dates in epoch
    /// milliseconds; <c>operation</c> is <c>remove</c> when every record of the change was removed.</summary>
    public static JsonObject Payload(string identityPoolId, string identityId, string datasetName, long syncCount, DateTimeOffset at,
        IReadOnlyList<Record> records) => new()
        {
            ["identityPoolId"] = identityPoolId,
            ["identityId"] = identityId,
            ["dataSetName"] = datasetName,
            ["operation"] = records.Count > 0 && records.All(r => r.Value is null) ? "remove" : "replace",
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
