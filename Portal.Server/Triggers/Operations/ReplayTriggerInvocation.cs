using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers.Operations;

sealed class ReplayTriggerInvocation(PortalDb db, UserPoolStore pools, TriggerInvoker invoker, Sync.Events.SyncTriggerEvent syncTrigger)
    : IOperation<ReplayTriggerInvocationRequest, ReplayTriggerInvocationResponse>
{
    public async Task<ReplayTriggerInvocationResponse> Handle(ReplayTriggerInvocationRequest request, CancellationToken ct)
    {
        var logged = await db.TriggerInvocations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == request.Id, ct)
                     ?? throw ResourceNotFoundException.TriggerInvocation(request.Id);
        if (logged.Trigger == Sync.Events.SyncTriggerEvent.Name)
        {
            // A Cognito Sync event: logged under its identity pool, whose SyncTrigger is today's target.
            var syncArn = await syncTrigger.FunctionOf(logged.UserPoolId, ct)
                          ?? throw new InvalidParameterException("The identity pool has no SyncTrigger function any more.");
            var syncRun = await invoker.Run(logged.UserPoolId, logged.Trigger, syncArn, logged.Event, draftCode: null, ct);
            return new ReplayTriggerInvocationResponse { Run = TestTrigger.ToRunType(syncRun) };
        }
        var pool = await pools.Get(logged.UserPoolId, ct);
        var (arn, _) = TriggerFunctions.Configured(pool.Settings.LambdaConfig, logged.Trigger);
        if (string.IsNullOrEmpty(arn)) throw new InvalidParameterException($"The pool has no {logged.Trigger} function any more.");
        // The logged event (secrets redacted) against today's target; only the handler runs, the pool is not touched.
        var run = await invoker.Run(pool.Row.Id, logged.Trigger, arn, logged.Event, draftCode: null, ct);
        return new ReplayTriggerInvocationResponse { Run = TestTrigger.ToRunType(run) };
    }
}
