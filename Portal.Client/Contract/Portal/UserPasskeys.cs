// Portal-only extensions (not AWS operations): a user's passkeys for the user page. Cognito has no admin passkey API (its
// ListWebAuthnCredentials and DeleteWebAuthnCredential take the user's own access token), so an operator reads and
// deletes them through these. The list is for every portal role; the delete is an operator's, audited.
// X-Amz-Target: PortalAdmin.AdminListWebAuthnCredentials / PortalAdmin.AdminDeleteWebAuthnCredential.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record AdminListWebAuthnCredentialsRequest : ICognitoRequest<AdminListWebAuthnCredentialsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
}

public sealed record AdminListWebAuthnCredentialsResponse
{
    /// <summary>All the user's passkeys, oldest first (a user has few).</summary>
    public List<AdminWebAuthnCredential>? Credentials { get; init; }
}

/// <summary>A passkey as ListWebAuthnCredentials describes it, with when it last signed in.</summary>
public sealed record AdminWebAuthnCredential
{
    public string? CredentialId { get; init; }
    public string? FriendlyCredentialName { get; init; }
    public string? RelyingPartyId { get; init; }
    public string? AuthenticatorAttachment { get; init; }
    public List<string>? AuthenticatorTransports { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
}

[Service(PortalServices.Admin)]
public sealed record AdminDeleteWebAuthnCredentialRequest : ICognitoRequest<AdminDeleteWebAuthnCredentialResponse>
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
    [StringLength(1024, MinimumLength = 1)]
    public string? CredentialId { get; init; }
}

public sealed record AdminDeleteWebAuthnCredentialResponse
{
}
