// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record CompleteWebAuthnRegistrationRequest : ICognitoRequest<CompleteWebAuthnRegistrationResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    /// <summary>RegistrationResponseJSON, as navigator.credentials.create answered.</summary>
    [Required]
    public JsonElement? Credential { get; init; }
}

public sealed record CompleteWebAuthnRegistrationResponse
{
}
