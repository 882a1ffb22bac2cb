// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record CreateIdentityProviderRequest : ICognitoRequest<CreateIdentityProviderResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+")]
    public string? ProviderName { get; init; }
    [Required]
    [AllowedValues("SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC")]
    public string? ProviderType { get; init; }
    [Required]
    public Dictionary<string, string>? ProviderDetails { get; init; }
    public Dictionary<string, string>? AttributeMapping { get; init; }
    [Length(0, 50)]
    public List<string>? IdpIdentifiers { get; init; }
}

public sealed record CreateIdentityProviderResponse
{
    [Required]
    public IdentityProviderType? IdentityProvider { get; init; }
}
