// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

public sealed record CognitoIdentityProvider
{
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w._:/-]+")]
    public string? ProviderName { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w_]+")]
    public string? ClientId { get; init; }
    public bool? ServerSideTokenCheck { get; init; }
}

public sealed record Credentials
{
    public string? AccessKeyId { get; init; }
    public string? SecretKey { get; init; }
    public string? SessionToken { get; init; }
    public DateTimeOffset? Expiration { get; init; }
}

public sealed record IdentityDescription
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    public List<string>? Logins { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

/// <summary>What a caller defines of an identity pool: CreateIdentityPool's input, and with the id the IdentityPool shape.</summary>
public record IdentityPoolDefinition
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

/// <summary>The model's IdentityPool shape: UpdateIdentityPool's input and Create/Describe/UpdateIdentityPool's output.</summary>
public record IdentityPool : IdentityPoolDefinition
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
}

public sealed record IdentityPoolShortDescription
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? IdentityPoolName { get; init; }
}

public sealed record MappingRule
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Claim { get; init; }
    [Required]
    [AllowedValues("Equals", "Contains", "StartsWith", "NotEqual")]
    public string? MatchType { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string? Value { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? RoleARN { get; init; }
}

public sealed record RoleMapping
{
    [Required]
    [AllowedValues("Token", "Rules")]
    public string? Type { get; init; }
    [AllowedValues("AuthenticatedRole", "Deny")]
    public string? AmbiguousRoleResolution { get; init; }
    public RulesConfigurationType? RulesConfiguration { get; init; }
}

public sealed record RulesConfigurationType
{
    [Required]
    [Length(1, 400)]
    public List<MappingRule>? Rules { get; init; }
}

public sealed record UnprocessedIdentityId
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    [AllowedValues("AccessDenied", "InternalServerError")]
    public string? ErrorCode { get; init; }
}
