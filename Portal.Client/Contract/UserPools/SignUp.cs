// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record SignUpRequest : ICognitoRequest<SignUpResponse>
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+=/]+")]
    public string? SecretHash { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    [StringLength(256, MinimumLength = 0)]
    [RegularExpression(@"[\S]+")]
    public string? Password { get; init; }
    public List<AttributeType>? UserAttributes { get; init; }
    public List<AttributeType>? ValidationData { get; init; }
    public AnalyticsMetadataType? AnalyticsMetadata { get; init; }
    public UserContextDataType? UserContextData { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record SignUpResponse
{
    [Required]
    public bool? UserConfirmed { get; init; }
    public CodeDeliveryDetailsType? CodeDeliveryDetails { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? UserSub { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}
