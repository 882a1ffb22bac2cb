// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminRespondToAuthChallengeRequest : ICognitoRequest<AdminRespondToAuthChallengeResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [Required]
    [AllowedValues("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP")]
    public string? ChallengeName { get; init; }
    public Dictionary<string, string>? ChallengeResponses { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
    public AnalyticsMetadataType? AnalyticsMetadata { get; init; }
    public ContextDataType? ContextData { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record AdminRespondToAuthChallengeResponse
{
    [AllowedValues("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP")]
    public string? ChallengeName { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
    public Dictionary<string, string>? ChallengeParameters { get; init; }
    public AuthenticationResultType? AuthenticationResult { get; init; }
}
