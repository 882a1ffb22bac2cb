// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminSetUserMFAPreferenceRequest : ICognitoRequest<AdminSetUserMFAPreferenceResponse>
{
    public SMSMfaSettingsType? SMSMfaSettings { get; init; }
    public SoftwareTokenMfaSettingsType? SoftwareTokenMfaSettings { get; init; }
    public EmailMfaSettingsType? EmailMfaSettings { get; init; }
    public WebAuthnMfaSettingsType? WebAuthnMfaSettings { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record AdminSetUserMFAPreferenceResponse
{
}
