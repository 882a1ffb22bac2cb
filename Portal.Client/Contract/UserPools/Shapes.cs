// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

using UserStatuses = Portal.Client.Contract.UserStatus;

namespace Portal.Client.Contract;

public sealed record AccountRecoverySettingType
{
    [Length(1, 2)]
    public List<RecoveryOptionType>? RecoveryMechanisms { get; init; }
}

public sealed record AdminCreateUserConfigType
{
    public bool? AllowAdminCreateUserOnly { get; init; }
    [Range(0, 365)]
    public int? UnusedAccountValidityDays { get; init; }
    public MessageTemplateType? InviteMessageTemplate { get; init; }
}

public sealed record AdvancedSecurityAdditionalFlowsType
{
    [AllowedValues("AUDIT", "ENFORCED")]
    public string? CustomAuthMode { get; init; }
}

public sealed record AnalyticsConfigurationType
{
    [RegularExpression(@"^[0-9a-fA-F]+$")]
    public string? ApplicationId { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? ApplicationArn { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? RoleArn { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? ExternalId { get; init; }
    public bool? UserDataShared { get; init; }
}

public sealed record AnalyticsMetadataType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? AnalyticsEndpointId { get; init; }
}

public sealed record AttributeType
{
    [Required]
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+")]
    public string? Name { get; init; }
    [StringLength(2048, MinimumLength = 0)]
    public string? Value { get; init; }
}

public sealed record AuthenticationResultType
{
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    public int? ExpiresIn { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? TokenType { get; init; }
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? RefreshToken { get; init; }
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? IdToken { get; init; }
    public NewDeviceMetadataType? NewDeviceMetadata { get; init; }
}

public sealed record CodeDeliveryDetailsType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? Destination { get; init; }
    [AllowedValues("SMS", "EMAIL")]
    public string? DeliveryMedium { get; init; }
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+")]
    public string? AttributeName { get; init; }
}

public sealed record ContextDataType
{
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? IpAddress { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? ServerName { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? ServerPath { get; init; }
    [Required]
    public List<HttpHeader>? HttpHeaders { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? EncodedData { get; init; }
}

public sealed record CustomDomainConfigType
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? CertificateArn { get; init; }
}

public sealed record CustomEmailLambdaVersionConfigType
{
    [Required]
    [AllowedValues("V1_0")]
    public string? LambdaVersion { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? LambdaArn { get; init; }
}

public sealed record CustomSMSLambdaVersionConfigType
{
    [Required]
    [AllowedValues("V1_0")]
    public string? LambdaVersion { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? LambdaArn { get; init; }
}

public sealed record DeviceConfigurationType
{
    public bool? ChallengeRequiredOnNewDevice { get; init; }
    public bool? DeviceOnlyRememberedOnUserPrompt { get; init; }
}

public sealed record DomainDescriptionType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(12, MinimumLength = 0)]
    [RegularExpression(@"[0-9]+")]
    public string? AWSAccountId { get; init; }
    [StringLength(63, MinimumLength = 1)]
    [RegularExpression(UserPoolDomainNames.Pattern)]
    public string? Domain { get; init; }
    [StringLength(1024, MinimumLength = 3)]
    [RegularExpression(@"^[0-9A-Za-z\.\-_]*(?<!\.)$")]
    public string? S3Bucket { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? CloudFrontDistribution { get; init; }
    [StringLength(20, MinimumLength = 1)]
    public string? Version { get; init; }
    [AllowedValues("CREATING", "DELETING", "UPDATING", "ACTIVE", "FAILED")]
    public string? Status { get; init; }
    public CustomDomainConfigType? CustomDomainConfig { get; init; }
    public int? ManagedLoginVersion { get; init; }
}

public sealed record EmailConfigurationType
{
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? SourceArn { get; init; }
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? ReplyToEmailAddress { get; init; }
    [AllowedValues("COGNITO_DEFAULT", "DEVELOPER")]
    public string? EmailSendingAccount { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? From { get; init; }
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"^[a-zA-Z0-9_-]+$")]
    public string? ConfigurationSet { get; init; }
}

public sealed record GroupType
{
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? GroupName { get; init; }
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(2048, MinimumLength = 0)]
    public string? Description { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? RoleArn { get; init; }
    [Range(0, int.MaxValue)]
    public int? Precedence { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}

public sealed record HttpHeader
{
    [StringLength(131072, MinimumLength = 0)]
    public string? headerName { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? headerValue { get; init; }
}

public sealed record InboundFederationLambdaType
{
    [Required]
    [AllowedValues("V1_0")]
    public string? LambdaVersion { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? LambdaArn { get; init; }
}

public sealed record LambdaConfigType
{
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? PreSignUp { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? CustomMessage { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? PostConfirmation { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? PreAuthentication { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? PostAuthentication { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? DefineAuthChallenge { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? CreateAuthChallenge { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? VerifyAuthChallengeResponse { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? PreTokenGeneration { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? UserMigration { get; init; }
    public PreTokenGenerationVersionConfigType? PreTokenGenerationConfig { get; init; }
    public CustomSMSLambdaVersionConfigType? CustomSMSSender { get; init; }
    public CustomEmailLambdaVersionConfigType? CustomEmailSender { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? KMSKeyID { get; init; }
    public InboundFederationLambdaType? InboundFederation { get; init; }
}

public sealed record MFAOptionType
{
    [AllowedValues("SMS", "EMAIL")]
    public string? DeliveryMedium { get; init; }
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+")]
    public string? AttributeName { get; init; }
}

public sealed record MessageTemplateType
{
    [StringLength(140, MinimumLength = 6)]
    [RegularExpression(@"(?s).*")]
    public string? SMSMessage { get; init; }
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*")]
    public string? EmailMessage { get; init; }
    [StringLength(140, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+")]
    public string? EmailSubject { get; init; }
}

public sealed record NewDeviceMetadataType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-f-]+")]
    public string? DeviceKey { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? DeviceGroupKey { get; init; }
}

public sealed record NumberAttributeConstraintsType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? MinValue { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? MaxValue { get; init; }
}

public sealed record PasswordPolicyType
{
    [Range(6, 99)]
    public int? MinimumLength { get; init; }
    public bool? RequireUppercase { get; init; }
    public bool? RequireLowercase { get; init; }
    public bool? RequireNumbers { get; init; }
    public bool? RequireSymbols { get; init; }
    [Range(0, 24)]
    public int? PasswordHistorySize { get; init; }
    [Range(0, 365)]
    public int? TemporaryPasswordValidityDays { get; init; }
}

public sealed record PreTokenGenerationVersionConfigType
{
    [Required]
    [AllowedValues("V1_0", "V2_0", "V3_0")]
    public string? LambdaVersion { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? LambdaArn { get; init; }
}

public sealed record RecoveryOptionType
{
    [Required]
    [Range(1, 2)]
    public int? Priority { get; init; }
    [Required]
    [AllowedValues("verified_email", "verified_phone_number", "admin_only")]
    public string? Name { get; init; }
}

public sealed record RefreshTokenRotationType
{
    [Required]
    [AllowedValues("ENABLED", "DISABLED")]
    public string? Feature { get; init; }
    [Range(0, 60)]
    public int? RetryGracePeriodSeconds { get; init; }
}

public sealed record ResourceServerScopeType
{
    [Required]
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+")]
    public string? ScopeName { get; init; }
    [Required]
    [StringLength(256, MinimumLength = 1)]
    public string? ScopeDescription { get; init; }
}

public sealed record ResourceServerType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"[\x21\x23-\x5B\x5D-\x7E]+")]
    public string? Identifier { get; init; }
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? Name { get; init; }
    [Length(0, 100)]
    public List<ResourceServerScopeType>? Scopes { get; init; }
}

public sealed record SchemaAttributeType
{
    [StringLength(20, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Name { get; init; }
    [AllowedValues("String", "Number", "DateTime", "Boolean")]
    public string? AttributeDataType { get; init; }
    public bool? DeveloperOnlyAttribute { get; init; }
    public bool? Mutable { get; init; }
    public bool? Required { get; init; }
    public NumberAttributeConstraintsType? NumberAttributeConstraints { get; init; }
    public StringAttributeConstraintsType? StringAttributeConstraints { get; init; }
}

public sealed record SignInPolicyType
{
    [Length(1, 4)]
    public List<string>? AllowedFirstAuthFactors { get; init; }
}

public sealed record SmsConfigurationType
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? SnsCallerArn { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? ExternalId { get; init; }
    [StringLength(32, MinimumLength = 5)]
    public string? SnsRegion { get; init; }
}

public sealed record StringAttributeConstraintsType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? MinLength { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? MaxLength { get; init; }
}

public sealed record TokenValidityUnitsType
{
    [AllowedValues("seconds", "minutes", "hours", "days")]
    public string? AccessToken { get; init; }
    [AllowedValues("seconds", "minutes", "hours", "days")]
    public string? IdToken { get; init; }
    [AllowedValues("seconds", "minutes", "hours", "days")]
    public string? RefreshToken { get; init; }
}

public sealed record UserAttributeUpdateSettingsType
{
    public List<string>? AttributesRequireVerificationBeforeUpdate { get; init; }
}

public sealed record UserContextDataType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? IpAddress { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? EncodedData { get; init; }
}

public sealed record UserPoolAddOnsType
{
    [Required]
    [AllowedValues("OFF", "AUDIT", "ENFORCED")]
    public string? AdvancedSecurityMode { get; init; }
    public AdvancedSecurityAdditionalFlowsType? AdvancedSecurityAdditionalFlows { get; init; }
}

public sealed record UserPoolClientDescription
{
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? ClientName { get; init; }
}

public sealed record UserPoolClientType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? ClientName { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [StringLength(64, MinimumLength = 24)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientSecret { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    [Range(0, 315360000)]
    public int? RefreshTokenValidity { get; init; }
    [Range(1, 86400)]
    public int? AccessTokenValidity { get; init; }
    [Range(1, 86400)]
    public int? IdTokenValidity { get; init; }
    public TokenValidityUnitsType? TokenValidityUnits { get; init; }
    public List<string>? ReadAttributes { get; init; }
    public List<string>? WriteAttributes { get; init; }
    public List<string>? ExplicitAuthFlows { get; init; }
    public List<string>? SupportedIdentityProviders { get; init; }
    [Length(0, 100)]
    public List<string>? CallbackURLs { get; init; }
    [Length(0, 100)]
    public List<string>? LogoutURLs { get; init; }
    [StringLength(1024, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? DefaultRedirectURI { get; init; }
    [Length(0, 3)]
    public List<string>? AllowedOAuthFlows { get; init; }
    [Length(0, 50)]
    public List<string>? AllowedOAuthScopes { get; init; }
    public bool? AllowedOAuthFlowsUserPoolClient { get; init; }
    public AnalyticsConfigurationType? AnalyticsConfiguration { get; init; }
    [AllowedValues("LEGACY", "ENABLED")]
    public string? PreventUserExistenceErrors { get; init; }
    public bool? EnableTokenRevocation { get; init; }
    public bool? EnablePropagateAdditionalUserContextData { get; init; }
    [Range(3, 15)]
    public int? AuthSessionValidity { get; init; }
    public RefreshTokenRotationType? RefreshTokenRotation { get; init; }
}

public sealed record UserPoolDescriptionType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? Id { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? Name { get; init; }
    public LambdaConfigType? LambdaConfig { get; init; }
    [AllowedValues("Enabled", "Disabled")]
    public string? Status { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}

public sealed record UserPoolPolicyType
{
    public PasswordPolicyType? PasswordPolicy { get; init; }
    public SignInPolicyType? SignInPolicy { get; init; }
}

public sealed record UserPoolType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? Id { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? Name { get; init; }
    public UserPoolPolicyType? Policies { get; init; }
    [AllowedValues("ACTIVE", "INACTIVE")]
    public string? DeletionProtection { get; init; }
    public LambdaConfigType? LambdaConfig { get; init; }
    [AllowedValues("Enabled", "Disabled")]
    public string? Status { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    [Length(1, 50)]
    public List<SchemaAttributeType>? SchemaAttributes { get; init; }
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
    public UserAttributeUpdateSettingsType? UserAttributeUpdateSettings { get; init; }
    [AllowedValues("OFF", "ON", "OPTIONAL")]
    public string? MfaConfiguration { get; init; }
    public DeviceConfigurationType? DeviceConfiguration { get; init; }
    public int? EstimatedNumberOfUsers { get; init; }
    public EmailConfigurationType? EmailConfiguration { get; init; }
    public SmsConfigurationType? SmsConfiguration { get; init; }
    public Dictionary<string, string>? UserPoolTags { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? SmsConfigurationFailure { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? EmailConfigurationFailure { get; init; }
    [StringLength(63, MinimumLength = 1)]
    [RegularExpression(UserPoolDomainNames.Pattern)]
    public string? Domain { get; init; }
    [StringLength(63, MinimumLength = 1)]
    [RegularExpression(UserPoolDomainNames.Pattern)]
    public string? CustomDomain { get; init; }
    public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
    public UserPoolAddOnsType? UserPoolAddOns { get; init; }
    public UsernameConfigurationType? UsernameConfiguration { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? Arn { get; init; }
    public AccountRecoverySettingType? AccountRecoverySetting { get; init; }
    [AllowedValues("LITE", "ESSENTIALS", "PLUS")]
    public string? UserPoolTier { get; init; }
}

public sealed record UserType
{
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")]
    public string? Username { get; init; }
    public List<AttributeType>? Attributes { get; init; }
    public DateTimeOffset? UserCreateDate { get; init; }
    public DateTimeOffset? UserLastModifiedDate { get; init; }
    public bool? Enabled { get; init; }
    [AllowedValues(UserStatuses.Unconfirmed, UserStatuses.Confirmed, UserStatuses.Archived, UserStatuses.Compromised, UserStatuses.Unknown, UserStatuses.ResetRequired, UserStatuses.ForceChangePassword, UserStatuses.ExternalProvider)]
    public string? UserStatus { get; init; }
    public List<MFAOptionType>? MFAOptions { get; init; }
}

public sealed record UsernameConfigurationType
{
    [Required]
    public bool? CaseSensitive { get; init; }
}

public sealed record VerificationMessageTemplateType
{
    [StringLength(140, MinimumLength = 6)]
    [RegularExpression(@".*\{####\}.*")]
    public string? SmsMessage { get; init; }
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*")]
    public string? EmailMessage { get; init; }
    [StringLength(140, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+")]
    public string? EmailSubject { get; init; }
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*")]
    public string? EmailMessageByLink { get; init; }
    [StringLength(140, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+")]
    public string? EmailSubjectByLink { get; init; }
    [AllowedValues("CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE")]
    public string? DefaultEmailOption { get; init; }
}

public sealed record IdentityProviderType
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+")]
    public string? ProviderName { get; init; }
    [AllowedValues("SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC")]
    public string? ProviderType { get; init; }
    public Dictionary<string, string>? ProviderDetails { get; init; }
    public Dictionary<string, string>? AttributeMapping { get; init; }
    [Length(0, 50)]
    public List<string>? IdpIdentifiers { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}

public sealed record ProviderDescription
{
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+")]
    public string? ProviderName { get; init; }
    [AllowedValues("SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC")]
    public string? ProviderType { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}

public sealed record ProviderUserIdentifierType
{
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+")]
    public string? ProviderName { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? ProviderAttributeName { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? ProviderAttributeValue { get; init; }
}

public sealed record AuthEventType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? EventId { get; init; }
    [AllowedValues("SignIn", "SignUp", "ForgotPassword", "PasswordChange", "ResendCode")]
    public string? EventType { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    [AllowedValues("Pass", "Fail", "InProgress")]
    public string? EventResponse { get; init; }
    public EventRiskType? EventRisk { get; init; }
    public List<ChallengeResponseType>? ChallengeResponses { get; init; }
    public EventContextDataType? EventContextData { get; init; }
    public EventFeedbackType? EventFeedback { get; init; }
}

public sealed record ChallengeResponseType
{
    [AllowedValues("Password", "Mfa")]
    public string? ChallengeName { get; init; }
    [AllowedValues("Success", "Failure")]
    public string? ChallengeResponse { get; init; }
}

public sealed record EventContextDataType
{
    [StringLength(131072, MinimumLength = 0)]
    public string? IpAddress { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? DeviceName { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? Timezone { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? City { get; init; }
    [StringLength(131072, MinimumLength = 0)]
    public string? Country { get; init; }
}

public sealed record EventFeedbackType
{
    [Required]
    [AllowedValues("Valid", "Invalid")]
    public string? FeedbackValue { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? Provider { get; init; }
    public DateTimeOffset? FeedbackDate { get; init; }
}

public sealed record EventRiskType
{
    [AllowedValues("NoRisk", "AccountTakeover", "Block")]
    public string? RiskDecision { get; init; }
    [AllowedValues("Low", "Medium", "High")]
    public string? RiskLevel { get; init; }
    public bool? CompromisedCredentialsDetected { get; init; }
}

public sealed record SMSMfaSettingsType
{
    public bool? Enabled { get; init; }
    public bool? PreferredMfa { get; init; }
}

public sealed record SoftwareTokenMfaSettingsType
{
    public bool? Enabled { get; init; }
    public bool? PreferredMfa { get; init; }
}

public sealed record EmailMfaSettingsType
{
    public bool? Enabled { get; init; }
    public bool? PreferredMfa { get; init; }
}

public sealed record WebAuthnMfaSettingsType
{
    public bool? Enabled { get; init; }
}

public sealed record SmsMfaConfigType
{
    [StringLength(140, MinimumLength = 6)]
    [RegularExpression(@".*\{####\}.*")]
    public string? SmsAuthenticationMessage { get; init; }
    public SmsConfigurationType? SmsConfiguration { get; init; }
}

public sealed record SoftwareTokenMfaConfigType
{
    public bool? Enabled { get; init; }
}

public sealed record EmailMfaConfigType
{
    [StringLength(20000, MinimumLength = 6)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*")]
    public string? Message { get; init; }
    [StringLength(140, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+")]
    public string? Subject { get; init; }
}

public sealed record WebAuthnConfigurationType
{
    [StringLength(127, MinimumLength = 1)]
    public string? RelyingPartyId { get; init; }
    [AllowedValues("required", "preferred")]
    public string? UserVerification { get; init; }
    [AllowedValues("SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION")]
    public string? FactorConfiguration { get; init; }
}
