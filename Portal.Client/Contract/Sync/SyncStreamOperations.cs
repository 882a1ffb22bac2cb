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
