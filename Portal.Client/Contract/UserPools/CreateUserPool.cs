// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record CreateUserPoolRequest : ICognitoRequest<CreateUserPoolResponse>
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? PoolName { get; init; }
    public UserPoolPolicyType? Policies { get; init; }
    [AllowedValues("ACTIVE", "INACTIVE")]
    public string? DeletionProtection { get; init; }
    public LambdaConfigType? LambdaConfig { get; init; }
    public List<string>? AutoVerifiedAttributes { get; init; }
    public List<string>? AliasAttributes { get; init; }
    public List<string>? UsernameAttributes { get; init; }
    [StringLength(140, MinimumLength = 6)]
    [RegularExpression(@".*\{####\}.*")]
    public string? SmsVerificationMessage { get; init; }
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*")]
    public string? EmailVerificationMessage { get; init; }
    [StringLength(140, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+")]
    public string? EmailVerificationSubject { get; init; }
    public VerificationMessageTemplateType? VerificationMessageTemplate { get; init; }
    [StringLength(140, MinimumLength = 6)]
    [RegularExpression(@".*\{####\}.*")]
    public string? SmsAuthenticationMessage { get; init; }
    [AllowedValues("OFF", "ON", "OPTIONAL")]
    public string? MfaConfiguration { get; init; }
    public UserAttributeUpdateSettingsType? UserAttributeUpdateSettings { get; init; }
    public DeviceConfigurationType? DeviceConfiguration { get; init; }
    public EmailConfigurationType? EmailConfiguration { get; init; }
    public SmsConfigurationType? SmsConfiguration { get; init; }
    public Dictionary<string, string>? UserPoolTags { get; init; }
    public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
    [Length(1, 50)]
    public List<SchemaAttributeType>? Schema { get; init; }
    public UserPoolAddOnsType? UserPoolAddOns { get; init; }
    public UsernameConfigurationType? UsernameConfiguration { get; init; }
    public AccountRecoverySettingType? AccountRecoverySetting { get; init; }
    [AllowedValues("LITE", "ESSENTIALS", "PLUS")]
    public string? UserPoolTier { get; init; }
}

public sealed record CreateUserPoolResponse
{
    public UserPoolType? UserPool { get; init; }
}
