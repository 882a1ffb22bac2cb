// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record GetUserRequest : ICognitoRequest<GetUserResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
}

public sealed record GetUserResponse
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    [Required]
    public List<AttributeType>? UserAttributes { get; init; }
    public List<MFAOptionType>? MFAOptions { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? PreferredMfaSetting { get; init; }
    public List<string>? UserMFASettingList { get; init; }
}
