// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record InitiateAuthRequest : ICognitoRequest<InitiateAuthResponse>
{
    [Required]
    [AllowedValues("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH")]
    public string? AuthFlow { get; init; }
    public Dictionary<string, string>? AuthParameters { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    public AnalyticsMetadataType? AnalyticsMetadata { get; init; }
    public UserContextDataType? UserContextData { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}

public sealed record InitiateAuthResponse
{
    [AllowedValues("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP")]
    public string? ChallengeName { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
    public Dictionary<string, string>? ChallengeParameters { get; init; }
    public AuthenticationResultType? AuthenticationResult { get; init; }
    public List<string>? AvailableChallenges { get; init; }
}
