// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record DeleteWebAuthnCredentialRequest : ICognitoRequest<DeleteWebAuthnCredentialResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [Required]
    public string? CredentialId { get; init; }
}

public sealed record DeleteWebAuthnCredentialResponse
{
}
