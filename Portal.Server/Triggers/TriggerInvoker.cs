using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers;

/// <summary>One run of a handler: the event sent, how it went, what it answered and wrote.</summary>
public sealed record TriggerRun(string Target, string Event, string Outcome, string? Response, string? Logs, string? Error,
    DateTimeOffset StartedAt, double DurationMs)
{
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string TimedOut = "TimedOut";
}

/// <summary>
/// Calls the function a pool's LambdaConfig names for a trigger: a Portal ARN runs the stored inline code or webhook, any
/// other ARN goes to the Lambda Invoke API. Every invocation from a flow is logged; a failure or timeout stops the step
/// with Cognito's UserLambdaValidationException ("{Trigger} failed with error {message}.").
/// </summary>
public sealed class TriggerInvoker(
    TriggerFunctions functions, InlineJavaScript javaScript, WebhookTarget webhook, LambdaTarget lambda, TriggerLog log,
    IOptions<TriggerOptions> options, TimeProvider clock, Storage.PortalDb db)
{
    /// <summary>This unit of work runs no function: testing mode's seeding with <c>Triggers: false</c>.</summary>
    public bool Suppressed { get; set; }

    /// <summary>Whether the pool has a function for the trigger.</summary>
    public static bool Configured(UserPoolStore.Pool pool, string trigger) =>
        !string.IsNullOrEmpty(TriggerFunctions.Configured(pool.Settings.LambdaConfig, trigger).Arn);

    /// <summary>Runs the pool's trigger with the event and returns the event the handler returned (null when the pool has
    /// no such trigger). The invocation is logged whatever its outcome.</summary>
    public async Task<JsonObject?> Invoke(UserPoolStore.Pool pool, string trigger, JsonObject ev, CancellationToken ct)
    {
        var (arn, _) = TriggerFunctions.Configured(pool.Settings.LambdaConfig, trigger);
        if (string.IsNullOrEmpty(arn) || Suppressed) return null;
        var run = await Run(pool.Row.Id, trigger, arn, ev.ToJsonString(), draftCode: null, ct);
        await log.Record(pool.Row.Id, trigger, ev["triggerSource"]?.ToString() ?? trigger, ev["userName"]?.ToString(), run, db);
        if (run.Outcome != TriggerRun.Succeeded) throw new UserLambdaValidationException($"{trigger} failed with error {run.Error}.");
        return Output(run.Response);
    }

    /// <summary>The handler's return value as an event object, or Cognito's complaint about it.</summary>
    public static JsonObject Output(string? response)
    {
        try
        {
            if (JsonNode.Parse(response ?? "null") is JsonObject o) return o;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        throw new InvalidLambdaResponseException("Unrecognizable lambda output");
    }

    /// <summary>Runs a handler without logging: the trigger's current target (or a draft of inline code) with the event.</summary>
    public async Task<TriggerRun> Run(string poolId, string trigger, string? arn, string eventJson, string? draftCode, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        var name = $"portal-{poolId}-{trigger}";
        var target = arn ?? $"inline:{name}";
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            TargetAnswer answer;
            if (draftCode is not null)
            {
                target = $"inline:{name} (draft)";
                answer = javaScript.Run(draftCode, eventJson, name, limit.Token);
            }
            else if (TriggerFunctions.TryParsePortalArn(arn, out var functionPool, out var functionTrigger)
                     && await functions.Find(functionPool, functionTrigger, ct) is { } stored)
            {
                if (stored.Kind == TriggerTargetKinds.Webhook)
                {
                    target = stored.Url!;
                    answer = await webhook.Run(stored.Url!, functions.Unprotect(stored.ProtectedSecret!), trigger, eventJson, limit.Token);
                }
                else
                {
                    target = $"inline:{name}";
                    answer = javaScript.Run(stored.Code ?? "", eventJson, name, limit.Token);
                }
            }
            else if (!string.IsNullOrEmpty(arn))
                answer = await lambda.Run(arn, eventJson, limit.Token);
            else
                throw new TriggerFunctionException($"No function is configured for {trigger}.");
            return new TriggerRun(target, eventJson, TriggerRun.Succeeded, answer.ResponseJson, answer.Logs, null, started, watch.Elapsed.TotalMilliseconds);
        }
        catch (TriggerFunctionException e)
        {
            return new TriggerRun(target, eventJson, e.TimedOut ? TriggerRun.TimedOut : TriggerRun.Failed, null, e.Logs, e.Message, started,
                watch.Elapsed.TotalMilliseconds);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The Data Protection keys that protected the webhook secret are gone: the secret must be set again.
            return new TriggerRun(target, eventJson, TriggerRun.Failed, null, null, "The webhook secret cannot be read; set it again.", started,
                watch.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new TriggerRun(target, eventJson, TriggerRun.TimedOut, null, null, $"Task timed out after {timeout.TotalSeconds:0.00} seconds",
                started, watch.Elapsed.TotalMilliseconds);
        }
    }
}
