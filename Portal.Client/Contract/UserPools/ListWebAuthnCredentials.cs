// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record ListWebAuthnCredentialsRequest : ICognitoRequest<ListWebAuthnCredentialsResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [StringLength(131072, MinimumLength = 1)]
    public string? NextToken { get; init; }
    [Range(0, 20)]
    public int? MaxResults { get; init; }
}

public sealed record ListWebAuthnCredentialsResponse
{
    public List<WebAuthnCredentialDescription>? Credentials { get; init; }
    public string? NextToken { get; init; }
}

public sealed record WebAuthnCredentialDescription
{
    public string? CredentialId { get; init; }
    public string? FriendlyCredentialName { get; init; }
    public string? RelyingPartyId { get; init; }
    public string? AuthenticatorAttachment { get; init; }
    public List<string>? AuthenticatorTransports { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}
