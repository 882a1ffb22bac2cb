// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record SetUserMFAPreferenceRequest : ICognitoRequest<SetUserMFAPreferenceResponse>
{
    public SMSMfaSettingsType? SMSMfaSettings { get; init; }
    public SoftwareTokenMfaSettingsType? SoftwareTokenMfaSettings { get; init; }
    public EmailMfaSettingsType? EmailMfaSettings { get; init; }
    public WebAuthnMfaSettingsType? WebAuthnMfaSettings { get; init; }
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
}

public sealed record SetUserMFAPreferenceResponse
{
}
