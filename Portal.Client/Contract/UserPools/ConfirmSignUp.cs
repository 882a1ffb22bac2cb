// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record ConfirmSignUpRequest : ICognitoRequest<ConfirmSignUpResponse>
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
    [Required]
    [StringLength(2048, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? ConfirmationCode { get; init; }
    public bool? ForceAliasCreation { get; init; }
    public AnalyticsMetadataType? AnalyticsMetadata { get; init; }
    public UserContextDataType? UserContextData { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}

public sealed record ConfirmSignUpResponse
{
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}
