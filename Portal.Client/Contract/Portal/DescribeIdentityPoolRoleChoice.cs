// Portal-only extension (not an AWS operation): the portal's "who gets which role" simulator. Which role an identity
// pool gives a user of a linked user pool, or the holder of an ID token, and with which session tags, computed by the
// rules GetCredentialsForIdentity applies, without creating an identity or minting credentials.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record DescribeIdentityPoolRoleChoiceRequest : ICognitoRequest<DescribeIdentityPoolRoleChoiceResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    /// <summary>A user pool linked to the identity pool, with <see cref="Username"/>: the claims are the ones that
    /// user's ID token carries now (groups, their roles, attributes).</summary>
    [StringLength(55, MinimumLength = 1)]
    public string? UserPoolId { get; init; }
    /// <summary>The app client the ID token is for (one linked to the identity pool); the first linked one when absent.</summary>
    [StringLength(128, MinimumLength = 1)]
    public string? ClientId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    public string? Username { get; init; }
    /// <summary>Or an ID token to read the claims from (its signature, issuer and expiry are checked and reported,
    /// never required: a simulation grants nothing).</summary>
    [StringLength(16384, MinimumLength = 1)]
    public string? IdToken { get; init; }
}

public sealed record DescribeIdentityPoolRoleChoiceResponse
{
    /// <summary>The login key the identity pool knows the token's provider by, e.g.
    /// <c>cognito-idp.us-east-1.amazonaws.com/us-east-1_abc</c>.</summary>
    public string? ProviderName { get; init; }
    /// <summary>The role mapping key that applied (<c>{ProviderName}:{ClientId}</c> for user pools), null when none.</summary>
    public string? RoleMappingKey { get; init; }
    /// <summary>Token, Rules, or Default (no role mapping: the pool's default authenticated role).</summary>
    public string? MappingType { get; init; }
    /// <summary>The rule that matched (1-based, in the mapping's order), null when none did.</summary>
    public int? MatchedRule { get; init; }
    public MappingRuleDescription? Rule { get; init; }
    /// <summary>The role the identity gets; null when it gets none (<see cref="Denied"/>).</summary>
    public string? RoleArn { get; init; }
    public bool? Denied { get; init; }
    /// <summary>Why this role, in a sentence (the rule that matched, the token's preferred role, ambiguity resolution).</summary>
    public string? Explanation { get; init; }
    /// <summary>The session tags the credentials would carry (principal tags: tag → claim value).</summary>
    public Dictionary<string, string>? SessionTags { get; init; }
    /// <summary>The claims the choice was made from, as text (arrays joined with commas).</summary>
    public Dictionary<string, string>? Claims { get; init; }
    /// <summary>Problems with the pasted token or the configuration worth knowing (expired token, unknown issuer, a role
    /// whose trust policy does not trust the pool, ...).</summary>
    public List<string>? Warnings { get; init; }
}

public sealed record MappingRuleDescription
{
    public string? Claim { get; init; }
    public string? MatchType { get; init; }
    public string? Value { get; init; }
    public string? RoleARN { get; init; }
}
