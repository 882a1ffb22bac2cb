// Portal-only extension (not an AWS operation): an operator removes logins (user pools, social, OIDC, SAML) from an
// identity without the login's token, which UnlinkIdentity needs; Cognito's console offers the same through identity
// deletion. Developer logins have UnlinkDeveloperIdentity. Administrators only; audited. X-Amz-Target: PortalAdmin.UnlinkIdentityLogins.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record UnlinkIdentityLoginsRequest : ICognitoRequest<UnlinkIdentityLoginsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    /// <summary>Provider names as DescribeIdentity lists them.</summary>
    [Required]
    [Length(1, 10)]
    public List<string>? LoginsToRemove { get; init; }
}

public sealed record UnlinkIdentityLoginsResponse
{
    /// <summary>The logins the identity still holds.</summary>
    public List<string>? Logins { get; init; }
}
