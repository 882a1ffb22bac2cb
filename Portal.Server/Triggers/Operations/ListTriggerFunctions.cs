using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers.Operations;

sealed class ListTriggerFunctions(UserPoolStore pools, TriggerFunctions functions)
    : IOperation<ListTriggerFunctionsRequest, ListTriggerFunctionsResponse>
{
    public async Task<ListTriggerFunctionsResponse> Handle(ListTriggerFunctionsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var stored = (await functions.List(pool.Row.Id, ct)).ToDictionary(f => f.Trigger, f => f.Function);
        var list = new List<TriggerFunctionType>();
        // The pool's LambdaConfig is the truth (it may also have been set with UpdateUserPool); stored code only describes it.
        foreach (var trigger in TriggerNames.All)
        {
            var (arn, version) = TriggerFunctions.Configured(pool.Settings.LambdaConfig, trigger);
            if (string.IsNullOrEmpty(arn)) continue;
            var function = TriggerFunctions.TryParsePortalArn(arn, out var p, out var t) && p == pool.Row.Id && t == trigger
                ? stored.GetValueOrDefault(trigger)
                : null;
            list.Add(PutTriggerFunction.Describe(pool.Row.Id, trigger, arn, version, function, pool.Row.LastModifiedAt));
        }
        return new ListTriggerFunctionsResponse { TriggerFunctions = list };
    }
}
