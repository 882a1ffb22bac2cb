using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;

namespace Portal.Server.Sync.Operations;

/// <summary>A pool's sync configuration row, read and written for the configuration and events operations.</summary>
static class SyncPools
{
    public static async Task<SyncPoolRow?> Find(SyncStore store, string poolId, CancellationToken ct)
    {
        await store.RequirePool(poolId, ct);
        return await store.Pools.FirstOrDefaultAsync(p => p.IdentityPoolId == poolId, ct);
    }

    /// <summary>Saves the row; a concurrent first write of the same pool (its primary key) or edit (its version) is
    /// ConcurrentModificationException, as Cognito answers.</summary>
    public static async Task Save(SyncStore store, SyncPoolRow row, bool added, TimeProvider clock, CancellationToken ct)
    {
        row.LastModifiedAt = clock.GetUtcNow();
        row.Version++;
        if (added) store.Pools.Add(row);
        try
        {
            await store.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConcurrentModificationException("The identity pool's configuration was changed at the same time; try again.");
        }
    }

    public static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, CognitoJson.Options);
    public static string? Write<T>(T? value) where T : class => value is null ? null : JsonSerializer.Serialize(value, CognitoJson.Options);
}

sealed class GetIdentityPoolConfiguration(SyncStore store) : IOperation<GetIdentityPoolConfigurationRequest, GetIdentityPoolConfigurationResponse>
{
    public async Task<GetIdentityPoolConfigurationResponse> Handle(GetIdentityPoolConfigurationRequest request, CancellationToken ct)
    {
        var row = await SyncPools.Find(store, request.IdentityPoolId!, ct);
        return new GetIdentityPoolConfigurationResponse
        {
            IdentityPoolId = request.IdentityPoolId,
            PushSync = SyncPools.Read<PushSync>(row?.PushSync),
            CognitoStreams = SyncPools.Read<CognitoStreams>(row?.CognitoStreams),
        };
    }
}

/// <summary>Stores PushSync and CognitoStreams as given (a member left out keeps its value). An ENABLED stream gets every
/// change committed from then on (Sync/Streams).</summary>
sealed class SetIdentityPoolConfiguration(SyncStore store, TimeProvider clock) : IOperation<SetIdentityPoolConfigurationRequest, SetIdentityPoolConfigurationResponse>
{
    public async Task<SetIdentityPoolConfigurationResponse> Handle(SetIdentityPoolConfigurationRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        var row = await SyncPools.Find(store, poolId, ct);
        var added = row is null;
        row ??= new SyncPoolRow { IdentityPoolId = poolId };
        if (request.PushSync is { } push) row.PushSync = SyncPools.Write(push);
        if (request.CognitoStreams is { } streams)
        {
            if (streams.StreamingStatus == "ENABLED" && (string.IsNullOrEmpty(streams.StreamName) || string.IsNullOrEmpty(streams.RoleArn)))
                throw new InvalidParameterException("Enabled Cognito Streams need a StreamName and a RoleArn.", "CognitoStreams");
            row.CognitoStreams = SyncPools.Write(streams);
        }
        await SyncPools.Save(store, row, added, clock, ct);
        return new SetIdentityPoolConfigurationResponse
        {
            IdentityPoolId = poolId, PushSync = SyncPools.Read<PushSync>(row.PushSync), CognitoStreams = SyncPools.Read<CognitoStreams>(row.CognitoStreams),
        };
    }
}

sealed class GetCognitoEvents(SyncStore store) : IOperation<GetCognitoEventsRequest, GetCognitoEventsResponse>
{
    public async Task<GetCognitoEventsResponse> Handle(GetCognitoEventsRequest request, CancellationToken ct)
    {
        var row = await SyncPools.Find(store, request.IdentityPoolId!, ct);
        return new GetCognitoEventsResponse { Events = SyncPools.Read<Dictionary<string, string>>(row?.Events) ?? [] };
    }
}

/// <summary>Stores the pool's events (Cognito knows one, <c>SyncTrigger</c>: a function's ARN; an empty value removes it).
/// UpdateRecords runs the function before it commits (Sync/Events).</summary>
sealed class SetCognitoEvents(SyncStore store, TimeProvider clock) : IOperation<SetCognitoEventsRequest, SetCognitoEventsResponse>
{
    public const string SyncTrigger = "SyncTrigger";

    public async Task<SetCognitoEventsResponse> Handle(SetCognitoEventsRequest request, CancellationToken ct)
    {
        var events = request.Events!;
        if (events.Count > 1) throw new InvalidParameterException("Events holds at most one event (SyncTrigger).", "Events");
        foreach (var (type, _) in events)
            if (type != SyncTrigger) throw new InvalidParameterException($"Unknown Cognito event type '{type}': the one event is SyncTrigger.", "Events");
        var row = await SyncPools.Find(store, request.IdentityPoolId!, ct);
        var added = row is null;
        row ??= new SyncPoolRow { IdentityPoolId = request.IdentityPoolId! };
        row.Events = JsonSerializer.Serialize(events.Where(e => !string.IsNullOrEmpty(e.Value)).ToDictionary(e => e.Key, e => e.Value), CognitoJson.Options);
        await SyncPools.Save(store, row, added, clock, ct);
        return new SetCognitoEventsResponse();
    }
}
