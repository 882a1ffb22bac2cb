// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminCreateUserRequest : ICognitoRequest<AdminCreateUserResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    public List<AttributeType>? UserAttributes { get; init; }
    public List<AttributeType>? ValidationData { get; init; }
    [StringLength(256, MinimumLength = 0)]
    [RegularExpression(@"[\S]+")]
    public string? TemporaryPassword { get; init; }
    public bool? ForceAliasCreation { get; init; }
    [AllowedValues("RESEND", "SUPPRESS")]
    public string? MessageAction { get; init; }
    public List<string>? DesiredDeliveryMediums { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record AdminCreateUserResponse
{
    public UserType? User { get; init; }
}
