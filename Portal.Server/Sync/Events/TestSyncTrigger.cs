using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Triggers;

namespace Portal.Server.Sync.Events;

/// <summary>Runs a SyncTrigger function with a sample event (a replace of record <c>sample</c> in dataset
/// <c>portal-test</c>), so an administrator sees what it answers before any device syncs; no dataset is touched.</summary>
sealed class TestSyncTrigger(SyncStore store, SyncTriggerEvent syncTrigger, TriggerInvoker invoker) : IOperation<TestSyncTriggerRequest, TestSyncTriggerResponse>
{
    public async Task<TestSyncTriggerResponse> Handle(TestSyncTriggerRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var arn = request.FunctionArn is { Length: > 0 } given ? given
            : await syncTrigger.FunctionOf(poolId, ct) ?? throw new InvalidParameterException("The identity pool has no SyncTrigger function: choose one to test.", "FunctionArn");
        var identityId = poolId.Split(':')[0] + ":00000000-0000-0000-0000-000000000000";
        var ev = syncTrigger.Event(poolId, identityId, "portal-test",
            [new RecordPatch { Op = "replace", Key = "sample", Value = "sample value", SyncCount = 0 }], new Dictionary<string, SyncRecordRow>());
        var run = await invoker.Run(poolId, SyncTriggerEvent.Name, arn, ev.ToJsonString(), draftCode: null, ct);
        return new TestSyncTriggerResponse { Run = Triggers.Operations.TestTrigger.ToRunType(run) };
    }
}
