// Portal-only extension (not an AWS operation): an identity pool's usage for its page, from the identities and their
// linked logins: how many identities (signed-in and guests), logins per provider, identities created and credentials
// issued per day, and the last change to an identity. X-Amz-Target: PortalAdmin.DescribeIdentityPoolUsage.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record DescribeIdentityPoolUsageRequest : ICognitoRequest<DescribeIdentityPoolUsageResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    /// <summary>How many UTC days, up to today, the per-day figures cover (14 when omitted).</summary>
    [Range(1, 90)]
    public int? Days { get; init; }
}

public sealed record DescribeIdentityPoolUsageResponse
{
    public int? Identities { get; init; }
    /// <summary>Identities holding at least one login.</summary>
    public int? Authenticated { get; init; }
    /// <summary>Identities holding no login (guests).</summary>
    public int? Guests { get; init; }
    /// <summary>Linked logins per provider (user pools in the AWS form, social providers, OIDC and SAML, the developer provider).</summary>
    public List<IdentityPoolProviderUsage>? LoginsByProvider { get; init; }
    public List<IdentityPoolUsageDay>? Days { get; init; }
    /// <summary>The latest creation or change of an identity (a link, a merge, an unlink).</summary>
    public DateTimeOffset? LastActivity { get; init; }
}

public sealed record IdentityPoolProviderUsage
{
    public string? Provider { get; init; }
    public int? Logins { get; init; }
}

public sealed record IdentityPoolUsageDay
{
    /// <summary>yyyy-MM-dd (UTC).</summary>
    public string? Date { get; init; }
    public int? NewIdentities { get; init; }
    /// <summary>Credentials issued that day (GetCredentialsForIdentity answered), every instance's counts; another
    /// instance's may show up to 10 seconds late.</summary>
    public long? CredentialsIssued { get; init; }
}
