// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record DeleteIdentityProviderRequest : ICognitoRequest<DeleteIdentityProviderResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+")]
    public string? ProviderName { get; init; }
}

public sealed record DeleteIdentityProviderResponse
{
}
