using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers.Operations;

sealed class DeleteTriggerFunction(UserPoolStore pools, TriggerFunctions functions, TimeProvider clock)
    : IOperation<DeleteTriggerFunctionRequest, DeleteTriggerFunctionResponse>
{
    public async Task<DeleteTriggerFunctionResponse> Handle(DeleteTriggerFunctionRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        TriggerFunctions.CheckName(request.Trigger);
        await functions.Remove(pool.Row.Id, request.Trigger!, ct);
        UserPoolStore.Write(pool.Row, pool.Settings with { LambdaConfig = TriggerFunctions.With(pool.Settings.LambdaConfig, request.Trigger!, null, null) });
        pool.Row.LastModifiedAt = clock.GetUtcNow();
        await pools.Save(ct);
        return new DeleteTriggerFunctionResponse();
    }
}
