// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record SetUserSettingsRequest : ICognitoRequest<SetUserSettingsResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [Required]
    public List<MFAOptionType>? MFAOptions { get; init; }
}

public sealed record SetUserSettingsResponse
{
}

public sealed record AdminSetUserSettingsRequest : ICognitoRequest<AdminSetUserSettingsResponse>
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
    public List<MFAOptionType>? MFAOptions { get; init; }
}

public sealed record AdminSetUserSettingsResponse
{
}
