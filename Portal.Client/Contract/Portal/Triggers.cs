// Portal-only extensions (not AWS operations): a pool's trigger functions (inline JavaScript, HTTPS webhook or an AWS
// Lambda ARN), the log of their invocations, and running a handler against a logged or sample event.
// A trigger's target is always named in the pool's LambdaConfig by an ARN, so Cognito tooling sees what it expects:
// inline and webhook functions get a Portal ARN (account 000000000000) that the invoker resolves to the stored function.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

/// <summary>The triggers of a pool, named as the members of LambdaConfigType.</summary>
public static class TriggerNames
{
    public static readonly IReadOnlyList<string> All =
    [
        "PreSignUp", "CustomMessage", "PostConfirmation", "PreAuthentication", "PostAuthentication",
        "DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse", "PreTokenGeneration", "UserMigration",
    ];
}

/// <summary>The kinds of target a trigger can call.</summary>
public static class TriggerTargetKinds
{
    public const string Inline = "INLINE";
    public const string Webhook = "WEBHOOK";
    public const string Lambda = "LAMBDA";
}

/// <summary>Sets one trigger of a pool: its target kind and the code, URL or Lambda ARN it calls. It updates the pool's
/// LambdaConfig in the same transaction.</summary>
[Service(PortalServices.Admin)]
public sealed record PutTriggerFunctionRequest : ICognitoRequest<PutTriggerFunctionResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    /// <summary>One of <see cref="TriggerNames.All"/>.</summary>
    [Required]
    public string? Trigger { get; init; }
    /// <summary>One of <see cref="TriggerTargetKinds"/>.</summary>
    [Required]
    [AllowedValues(TriggerTargetKinds.Inline, TriggerTargetKinds.Webhook, TriggerTargetKinds.Lambda)]
    public string? Kind { get; init; }
    /// <summary>INLINE: the JavaScript source, <c>exports.handler = async (event) => { ...; return event; }</c>.</summary>
    [StringLength(262_144, MinimumLength = 1)]
    public string? Code { get; init; }
    /// <summary>WEBHOOK: the https (or, in development, http) URL the event is POSTed to.</summary>
    [StringLength(2048, MinimumLength = 8)]
    public string? Url { get; init; }
    /// <summary>WEBHOOK: the HMAC-SHA256 key the body is signed with; kept when omitted on an update, never returned.</summary>
    [StringLength(256, MinimumLength = 16)]
    public string? Secret { get; init; }
    /// <summary>LAMBDA: the function's ARN, called through the Lambda Invoke API.</summary>
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? FunctionArn { get; init; }
    /// <summary>PreTokenGeneration only: the event version, V1_0 (default), V2_0 or V3_0.</summary>
    [AllowedValues("V1_0", "V2_0", "V3_0")]
    public string? LambdaVersion { get; init; }
}

public sealed record PutTriggerFunctionResponse
{
    public TriggerFunctionType? TriggerFunction { get; init; }
}

/// <summary>The triggers a pool has configured.</summary>
[Service(PortalServices.Admin)]
public sealed record ListTriggerFunctionsRequest : ICognitoRequest<ListTriggerFunctionsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record ListTriggerFunctionsResponse
{
    public List<TriggerFunctionType>? TriggerFunctions { get; init; }
}

/// <summary>Removes one trigger from the pool (its LambdaConfig member and any stored inline code or webhook).</summary>
[Service(PortalServices.Admin)]
public sealed record DeleteTriggerFunctionRequest : ICognitoRequest<DeleteTriggerFunctionResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    public string? Trigger { get; init; }
}

public sealed record DeleteTriggerFunctionResponse;

public sealed record TriggerFunctionType
{
    public string? UserPoolId { get; init; }
    public string? Trigger { get; init; }
    public string? Kind { get; init; }
    /// <summary>The ARN in the pool's LambdaConfig (a Portal ARN for inline and webhook functions).</summary>
    public string? FunctionArn { get; init; }
    public string? Code { get; init; }
    public string? Url { get; init; }
    /// <summary>Whether a webhook secret is stored (the secret itself is never returned).</summary>
    public bool? HasSecret { get; init; }
    public string? LambdaVersion { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

/// <summary>Recorded trigger invocations, newest first, filtered.</summary>
[Service(PortalServices.Admin)]
public sealed record ListTriggerInvocationsRequest : ICognitoRequest<ListTriggerInvocationsResponse>
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    public string? Trigger { get; init; }
    /// <summary>Succeeded, Failed or TimedOut.</summary>
    [AllowedValues("Succeeded", "Failed", "TimedOut")]
    public string? Outcome { get; init; }
    [StringLength(128, MinimumLength = 1)]
    public string? UserName { get; init; }
    /// <summary>Only invocations started at or after this time (a live tail asks with the newest it has seen).</summary>
    public DateTimeOffset? StartedAfter { get; init; }
    public DateTimeOffset? StartedBefore { get; init; }
    [Range(1, 100)]
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListTriggerInvocationsResponse
{
    /// <summary>Summaries: Event, Response and Logs are left out (GetTriggerInvocation has them).</summary>
    public List<TriggerInvocationType>? Invocations { get; init; }
    public string? NextToken { get; init; }
}

[Service(PortalServices.Admin)]
public sealed record GetTriggerInvocationRequest : ICognitoRequest<GetTriggerInvocationResponse>
{
    [Required]
    public Guid? Id { get; init; }
}

public sealed record GetTriggerInvocationResponse
{
    public TriggerInvocationType? Invocation { get; init; }
}

public sealed record TriggerInvocationType
{
    public Guid? Id { get; init; }
    public string? UserPoolId { get; init; }
    public string? Trigger { get; init; }
    public string? TriggerSource { get; init; }
    public string? UserName { get; init; }
    public string? Target { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public double? DurationMs { get; init; }
    public string? Outcome { get; init; }
    /// <summary>The event as sent, JSON with secrets and codes redacted.</summary>
    public string? Event { get; init; }
    /// <summary>The handler's response, JSON, redacted.</summary>
    public string? Response { get; init; }
    /// <summary>What the handler wrote with console.log (inline functions).</summary>
    public string? Logs { get; init; }
    public string? Error { get; init; }
}

/// <summary>Re-runs a logged invocation's event against the trigger's current target, without side effects on the
/// pool; the run is not recorded as an invocation.</summary>
[Service(PortalServices.Admin)]
public sealed record ReplayTriggerInvocationRequest : ICognitoRequest<ReplayTriggerInvocationResponse>
{
    [Required]
    public Guid? Id { get; init; }
}

public sealed record ReplayTriggerInvocationResponse
{
    public TriggerRunType? Run { get; init; }
}

/// <summary>Runs a trigger's handler against an event: the given one, or a sample for the trigger source. With Code,
/// an unsaved inline draft is run instead of the stored function. Nothing in the pool changes.</summary>
[Service(PortalServices.Admin)]
public sealed record TestTriggerRequest : ICognitoRequest<TestTriggerResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    public string? Trigger { get; init; }
    /// <summary>The event's triggerSource for the sample (e.g. PreSignUp_SignUp); the trigger's first source when omitted.</summary>
    public string? TriggerSource { get; init; }
    /// <summary>A whole event as JSON; a sample is built when omitted.</summary>
    [StringLength(1_048_576, MinimumLength = 2)]
    public string? Event { get; init; }
    /// <summary>Inline JavaScript to run instead of the stored function (a draft in the editor).</summary>
    [StringLength(262_144, MinimumLength = 1)]
    public string? Code { get; init; }
}

public sealed record TestTriggerResponse
{
    public TriggerRunType? Run { get; init; }
}

public sealed record TriggerRunType
{
    /// <summary>The event that was run, JSON.</summary>
    public string? Event { get; init; }
    public string? Outcome { get; init; }
    public string? Response { get; init; }
    public string? Logs { get; init; }
    public string? Error { get; init; }
    public double? DurationMs { get; init; }
}
