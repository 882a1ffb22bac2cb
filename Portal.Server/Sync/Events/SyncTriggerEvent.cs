using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Triggers;

namespace Portal.Server.Sync.Events;

/// <summary>
/// Cognito Events' SyncTrigger: before UpdateRecords commits, the pool's function gets Cognito's sync event (version 2,
/// eventType SyncTrigger, region, identityPoolId, identityId, datasetName, datasetRecords {key: {oldValue, newValue, op}})
/// and answers it. As Cognito documents, the datasetRecords it returns replace the patch (a value it changed is stored
/// changed; a record it leaves out is not written); a function that fails, times out or answers something that is not
/// the event rejects the update with InvalidLambdaFunctionOutputException (LambdaThrottledException when throttled), and
/// nothing of the update is applied. The function is a trigger target Portal already runs: a Portal ARN (inline
/// JavaScript or webhook) or a Lambda ARN; its timeout is Portal:Triggers:TimeoutSeconds; each invocation goes to the
/// trigger log (under the identity pool's id) and can be replayed from there.
/// </summary>
public sealed class SyncTriggerEvent(SyncStore store, TriggerInvoker invoker, TriggerLog log, IOptions<PortalOptions> portal)
{
    public const string Name = "SyncTrigger";

    /// <summary>The pool's SyncTrigger function ARN, or null.</summary>
    public async Task<string?> FunctionOf(string identityPoolId, CancellationToken ct)
    {
        var events = await SyncQueries.For(store.Db).PoolEvents(store.Db, identityPoolId, ct);
        return events is null ? null
            : JsonSerializer.Deserialize<Dictionary<string, string>>(events, CognitoJson.Options)?.GetValueOrDefault(Name) is { Length: > 0 } arn ? arn : null;
    }

    /// <summary>The event Cognito sends for the patches, with each record's stored value as oldValue.</summary>
    public JsonObject Event(string identityPoolId, string identityId, string datasetName, IEnumerable<RecordPatch> patches,
        IReadOnlyDictionary<string, SyncRecordRow> stored)
    {
        var records = new JsonObject();
        foreach (var patch in patches)
            records[patch.Key!] = new JsonObject
            {
                ["oldValue"] = stored.TryGetValue(patch.Key!, out var row) ? row.Value : null,
                ["newValue"] = patch.Op == "replace" ? patch.Value : null,
                ["op"] = patch.Op,
            };
        return new JsonObject
        {
            ["version"] = 2,
            ["eventType"] = Name,
            ["region"] = identityPoolId.Split(':')[0] is { Length: > 0 } region ? region : portal.Value.Region,
            ["identityPoolId"] = identityPoolId,
            ["identityId"] = identityId,
            ["datasetName"] = datasetName,
            ["datasetRecords"] = records,
        };
    }

    /// <summary>Runs the pool's SyncTrigger (if any) on the patches and answers the patches to apply. Stored rows of keys the
    /// function added are loaded into <paramref name="stored"/>.</summary>
    public async Task<List<RecordPatch>> Apply(string identityPoolId, string identityId, string datasetName, List<RecordPatch> patches,
        Dictionary<string, SyncRecordRow> stored, CancellationToken ct)
    {
        if (patches.Count == 0 || await FunctionOf(identityPoolId, ct) is not { } arn) return patches;
        var ev = Event(identityPoolId, identityId, datasetName, patches, stored);
        var run = await invoker.Run(identityPoolId, Name, arn, ev.ToJsonString(), draftCode: null, ct);
        await log.Record(identityPoolId, Name, Name, identityId, run, store.Db);
        if (run.Outcome != TriggerRun.Succeeded)
        {
            if (run.Error is { } e && (e.Contains("TooManyRequestsException", StringComparison.Ordinal) || e.Contains("Rate exceeded", StringComparison.Ordinal)))
                throw new LambdaThrottledException($"The SyncTrigger function was throttled: {e}");
            throw new InvalidLambdaFunctionOutputException($"The SyncTrigger function failed: {run.Error}");
        }
        return await Patches(run.Response, patches, stored, identityId, datasetName, ct);
    }

    /// <summary>The patches the function's answer stands for: its datasetRecords, each as <c>replace</c> with newValue or
    /// <c>remove</c>.</summary>
    async Task<List<RecordPatch>> Patches(string? response, List<RecordPatch> patches, Dictionary<string, SyncRecordRow> stored,
        string identityId, string datasetName, CancellationToken ct)
    {
        JsonObject answer;
        try
        {
            answer = TriggerInvoker.Output(response);
        }
        catch (CognitoException)
        {
            throw new InvalidLambdaFunctionOutputException("The SyncTrigger function did not return the sync event.");
        }
        if (answer["datasetRecords"] is not JsonObject records)
            throw new InvalidLambdaFunctionOutputException("The SyncTrigger function's answer has no datasetRecords.");
        var byKey = patches.ToDictionary(p => p.Key!, StringComparer.Ordinal);
        var result = new List<RecordPatch>(records.Count);
        foreach (var (key, node) in records)
        {
            if (node is not JsonObject record || key.Length is 0 or > 1024)
                throw new InvalidLambdaFunctionOutputException($"The SyncTrigger function's record '{key}' is not a record.");
            var op = record["op"]?.GetValueKind() == JsonValueKind.String ? record["op"]!.GetValue<string>() : "replace";
            if (op is not ("replace" or "remove"))
                throw new InvalidLambdaFunctionOutputException($"The SyncTrigger function's record '{key}' has op '{op}' (replace or remove).");
            string? value = null;
            if (op == "replace")
            {
                value = record["newValue"] switch
                {
                    null => null,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    var other => other.ToJsonString(),
                };
                if (value is null) throw new InvalidLambdaFunctionOutputException($"The SyncTrigger function's record '{key}' is a replace without a newValue.");
            }
            result.Add(new RecordPatch
            {
                Key = key, Op = op, Value = value,
                SyncCount = byKey.TryGetValue(key, out var original) ? original.SyncCount : null,
                DeviceLastModifiedDate = original?.DeviceLastModifiedDate,
            });
        }
        // A record the function added: the stored one (if any) is the one it replaces.
        var added = result.Where(p => !stored.ContainsKey(p.Key!) && !byKey.ContainsKey(p.Key!)).Select(p => p.Key!).ToList();
        if (added.Count > 0)
            foreach (var row in await store.Records.Where(r => r.IdentityId == identityId && r.DatasetName == datasetName && added.Contains(r.Key)).ToListAsync(ct))
                stored[row.Key] = row;
        return result;
    }
}
