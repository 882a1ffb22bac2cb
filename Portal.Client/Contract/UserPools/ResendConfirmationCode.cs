// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record ResendConfirmationCodeRequest : ICognitoRequest<ResendConfirmationCodeResponse>
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+=/]+")]
    public string? SecretHash { get; init; }
    public UserContextDataType? UserContextData { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    public AnalyticsMetadataType? AnalyticsMetadata { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record ResendConfirmationCodeResponse
{
    public CodeDeliveryDetailsType? CodeDeliveryDetails { get; init; }
}
