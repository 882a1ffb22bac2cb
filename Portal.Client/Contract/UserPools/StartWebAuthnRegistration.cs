// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record StartWebAuthnRegistrationRequest : ICognitoRequest<StartWebAuthnRegistrationResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
}

public sealed record StartWebAuthnRegistrationResponse
{
    /// <summary>PublicKeyCredentialCreationOptionsJSON, for navigator.credentials.create.</summary>
    public JsonElement? CredentialCreationOptions { get; init; }
}
