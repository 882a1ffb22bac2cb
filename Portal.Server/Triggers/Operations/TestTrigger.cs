using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers.Operations;

sealed class TestTrigger(UserPoolStore pools, TriggerInvoker invoker) : IOperation<TestTriggerRequest, TestTriggerResponse>
{
    public async Task<TestTriggerResponse> Handle(TestTriggerRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        TriggerFunctions.CheckName(request.Trigger);
        var trigger = request.Trigger!;
        var (arn, version) = TriggerFunctions.Configured(pool.Settings.LambdaConfig, trigger);
        if (string.IsNullOrEmpty(arn) && request.Code is null)
            throw new InvalidParameterException($"The pool has no {trigger} function; give Code to try a draft.", "code");
        string eventJson;
        if (request.Event is { } given)
        {
            try
            {
                eventJson = (JsonNode.Parse(given) as JsonObject ?? throw new InvalidParameterException("Event must be a JSON object.", "event")).ToJsonString();
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidParameterException($"Event is not valid JSON: {e.Message}", "event");
            }
        }
        else eventJson = TriggerEvents.Sample(pool.Row.Id, trigger, request.TriggerSource, version).ToJsonString();
        var run = await invoker.Run(pool.Row.Id, trigger, arn, eventJson, request.Code, ct);
        return new TestTriggerResponse { Run = ToRunType(run) };
    }

    internal static TriggerRunType ToRunType(TriggerRun run) => new()
    {
        Event = TriggerLog.Redact(run.Event), Outcome = run.Outcome, Response = TriggerLog.Redact(run.Response), Logs = run.Logs,
        Error = run.Error, DurationMs = run.DurationMs,
    };
}
