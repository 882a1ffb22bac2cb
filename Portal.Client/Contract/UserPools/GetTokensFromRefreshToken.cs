// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record GetTokensFromRefreshTokenRequest : ICognitoRequest<GetTokensFromRefreshTokenResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? RefreshToken { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(64, MinimumLength = 24)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientSecret { get; init; }
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-f-]+")]
    public string? DeviceKey { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record GetTokensFromRefreshTokenResponse
{
    public AuthenticationResultType? AuthenticationResult { get; init; }
}
