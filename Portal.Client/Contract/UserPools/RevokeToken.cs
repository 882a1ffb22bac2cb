// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record RevokeTokenRequest : ICognitoRequest<RevokeTokenResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? Token { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(64, MinimumLength = 24)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientSecret { get; init; }
}

public sealed record RevokeTokenResponse
{
}
