namespace Portal.Server.Triggers;

/// <summary>What a target answered: the handler's return value as JSON ("null" when it returned nothing) and its console output.</summary>
public sealed record TargetAnswer(string ResponseJson, string? Logs);

/// <summary>The handler failed (threw, rejected, answered an error) or ran out of time or memory; the message is the
/// handler's error message, as Cognito quotes it.</summary>
public sealed class TriggerFunctionException(string message, string? logs = null, bool timedOut = false) : Exception(message)
{
    public string? Logs { get; } = logs;
    public bool TimedOut { get; } = timedOut;
}
