// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

/// <summary>The user's own feedback on an auth event, with the token of the event's risk notification (unauthenticated).</summary>
[Unsigned]
public sealed record UpdateAuthEventFeedbackRequest : ICognitoRequest<UpdateAuthEventFeedbackResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    [Required]
    [StringLength(50, MinimumLength = 1)]
    [RegularExpression(@"[\w+-]+")]
    public string? EventId { get; init; }
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? FeedbackToken { get; init; }
    [Required]
    [AllowedValues("Valid", "Invalid")]
    public string? FeedbackValue { get; init; }
}

public sealed record UpdateAuthEventFeedbackResponse
{
}
