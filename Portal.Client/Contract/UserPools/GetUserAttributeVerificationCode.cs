// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record GetUserAttributeVerificationCodeRequest : ICognitoRequest<GetUserAttributeVerificationCodeResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [Required]
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+")]
    public string? AttributeName { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record GetUserAttributeVerificationCodeResponse
{
    public CodeDeliveryDetailsType? CodeDeliveryDetails { get; init; }
}
