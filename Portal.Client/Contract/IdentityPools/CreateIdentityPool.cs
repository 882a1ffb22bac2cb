// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record CreateIdentityPoolRequest : ICognitoRequest<CreateIdentityPoolResponse>
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? IdentityPoolName { get; init; }
    [Required]
    public bool? AllowUnauthenticatedIdentities { get; init; }
    public bool? AllowClassicFlow { get; init; }
    [MaxLength(10)]
    public Dictionary<string, string>? SupportedLoginProviders { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w._-]+")]
    public string? DeveloperProviderName { get; init; }
    public List<string>? OpenIdConnectProviderARNs { get; init; }
    public List<CognitoIdentityProvider>? CognitoIdentityProviders { get; init; }
    public List<string>? SamlProviderARNs { get; init; }
    public Dictionary<string, string>? IdentityPoolTags { get; init; }
}

public sealed record CreateIdentityPoolResponse
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? IdentityPoolName { get; init; }
    [Required]
    public bool? AllowUnauthenticatedIdentities { get; init; }
    public bool? AllowClassicFlow { get; init; }
    [MaxLength(10)]
    public Dictionary<string, string>? SupportedLoginProviders { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w._-]+")]
    public string? DeveloperProviderName { get; init; }
    public List<string>? OpenIdConnectProviderARNs { get; init; }
    public List<CognitoIdentityProvider>? CognitoIdentityProviders { get; init; }
    public List<string>? SamlProviderARNs { get; init; }
    public Dictionary<string, string>? IdentityPoolTags { get; init; }
}
