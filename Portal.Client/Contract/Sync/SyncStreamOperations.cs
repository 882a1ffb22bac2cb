// Cognito Sync's bulk publish (Cognito Streams) and the errors of streams and events, named and shaped as the
// cognito-sync model names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sync;

[Service(SyncService.Prefix)]
public sealed record BulkPublishRequest : ICognitoRequest<BulkPublishResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record BulkPublishResponse
{
    public string? IdentityPoolId { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record GetBulkPublishDetailsRequest : ICognitoRequest<GetBulkPublishDetailsResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record GetBulkPublishDetailsResponse
{
    public string? IdentityPoolId { get; init; }
    public DateTimeOffset? BulkPublishStartTime { get; init; }
    public DateTimeOffset? BulkPublishCompleteTime { get; init; }
    /// <summary>NOT_STARTED, IN_PROGRESS, FAILED or SUCCEEDED.</summary>
    public string? BulkPublishStatus { get; init; }
    public string? FailureMessage { get; init; }
}

/// <summary>A bulk publish of the pool is IN_PROGRESS already.</summary>
public sealed class DuplicateRequestException(string message) : CognitoException(nameof(DuplicateRequestException), message);

/// <summary>A bulk publish asked for less than 24 hours after the last one succeeded.</summary>
public sealed class AlreadyStreamedException(string message) : CognitoException(nameof(AlreadyStreamedException), message);

/// <summary>The SyncTrigger function was throttled (HTTP 429 on the wire).</summary>
public sealed class LambdaThrottledException(string message) : CognitoException(nameof(LambdaThrottledException), message, 429);

/// <summary>The SyncTrigger function failed, timed out or answered something that is not a sync event.</summary>
public sealed class InvalidLambdaFunctionOutputException(string message) : CognitoException(nameof(InvalidLambdaFunctionOutputException), message);

/// <summary>Portal-only: how a pool's Cognito stream is doing: records waiting in the outbox, the last delivery and error.</summary>
[Service(PortalServices.Admin)]
public sealed record GetSyncStreamStatusRequest : ICognitoRequest<GetSyncStreamStatusResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record GetSyncStreamStatusResponse
{
    public long? OutboxDepth { get; init; }
    public DateTimeOffset? OldestWaitingSince { get; init; }
    public DateTimeOffset? LastDeliveredAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
}

/// <summary>Portal-only: puts one record shaped as Cognito Streams' (dataset <c>portal-test</c>) on the pool's enabled
/// stream at once, and answers Kinesis's sequence number or its error.</summary>
[Service(PortalServices.Admin)]
public sealed record SendSyncStreamTestRecordRequest : ICognitoRequest<SendSyncStreamTestRecordResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record SendSyncStreamTestRecordResponse
{
    public string? StreamName { get; init; }
    public string? SequenceNumber { get; init; }
    public string? ShardId { get; init; }
    public string? Error { get; init; }
}

/// <summary>Portal-only: runs a SyncTrigger function (the one given, or the pool's) with a sample sync event, without
/// touching any dataset, and answers the run.</summary>
[Service(PortalServices.Admin)]
public sealed record TestSyncTriggerRequest : ICognitoRequest<TestSyncTriggerResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [StringLength(2048)]
    public string? FunctionArn { get; init; }
}

public sealed record TestSyncTriggerResponse
{
    public TriggerRunType? Run { get; init; }
}
