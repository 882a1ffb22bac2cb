using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;

namespace Portal.Server.Sync.Streams;

/// <summary>
/// Writes Cognito Streams records into the outbox, in the caller's unit of work (so a change and its record commit or
/// roll back together); <see cref="StreamPublisher"/> sends them. A pool whose CognitoStreams is not ENABLED gets none.
/// </summary>
public sealed class StreamOutbox(SyncStore store, TimeProvider clock, IOptions<PortalOptions> portal, IOptionsMonitor<KinesisOptions> options)
{
    /// <summary>Kinesis's limit of one record: its data and partition key together.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>Where the records of a large change are served: <c>{PublicBaseUrl}/sync/streams/records/{token}</c>.</summary>
    public const string LinkPath = "/sync/streams/records/";

    /// <summary>The pool's enabled stream, or null.</summary>
    public async Task<CognitoStreams?> EnabledStream(string identityPoolId, CancellationToken ct)
    {
        var json = await SyncQueries.For(store.Db).PoolStreams(store.Db, identityPoolId, ct);
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
        var payload = Payload(identityPoolId, identityId, datasetName, syncCount, now, records, deleted);
        var json = payload.ToJsonString();
        if (Encoding.UTF8.GetByteCount(json) + Encoding.UTF8.GetByteCount(identityId) > MaxRecordBytes)
        {
            // Too large for one Kinesis record: as Cognito Streams does, the record links to its records instead (S3Url).
            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            store.Db.Add(new SyncStreamLinkRow
            {
                Token = token, IdentityPoolId = identityPoolId, Records = payload["kinesisSyncRecords"]!.ToJsonString(), CreatedAt = now,
                ExpiresAt = now + TimeSpan.FromHours(Math.Max(0.01, options.CurrentValue.LargeRecordLinkHours)),
            });
            payload["kinesisSyncRecords"] = null;
            payload["kinesisSyncRecordsURL"] = portal.Value.PublicBaseUrl!.TrimEnd('/') + LinkPath + token;
            payload["payloadType"] = "S3Url";
            json = payload.ToJsonString();
        }
        var row = new SyncStreamOutboxRow
        {
            IdentityPoolId = identityPoolId, StreamName = streamName, PartitionKey = identityId, Bulk = bulk, CreatedAt = now, NextAttemptAt = now,
            Payload = json,
        };
        store.Db.Add(row);
        return row;
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The record as Cognito Streams documents it: the change's records inline (payloadType Inline; a change too large
    /// for one Kinesis record gets payloadType S3Url and kinesisSyncRecordsURL instead, see <see cref="Add"/>), dates in epoch
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
