using System.Text.Json.Nodes;
using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>The checks and defaults of user pool settings that CreateUserPool and UpdateUserPool share.</summary>
public static class UserPoolSettings
{
    static readonly string[] VerifiableAttributes = ["email", "phone_number"];
    static readonly string[] FirstAuthFactors = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

    /// <summary>A requested password policy as Cognito stores it: the members left out are off (the default policy when none is given).</summary>
    public static PasswordPolicyType PasswordPolicyFrom(PasswordPolicyType? requested, int? unusedAccountValidityDays)
    {
        if (requested?.TemporaryPasswordValidityDays is not null && unusedAccountValidityDays is not null)
            throw new InvalidParameterException("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays", "adminCreateUserConfig.unusedAccountValidityDays");
        var policy = requested ?? PasswordPolicy.Default;
        return new PasswordPolicyType
        {
            MinimumLength = policy.MinimumLength ?? 8,
            RequireUppercase = policy.RequireUppercase ?? false,
            RequireLowercase = policy.RequireLowercase ?? false,
            RequireNumbers = policy.RequireNumbers ?? false,
            RequireSymbols = policy.RequireSymbols ?? false,
            PasswordHistorySize = policy.PasswordHistorySize,
            TemporaryPasswordValidityDays = requested?.TemporaryPasswordValidityDays ?? unusedAccountValidityDays ?? 7,
        };
    }

    public static SignInPolicyType SignInPolicyFrom(SignInPolicyType? requested, string tier)
    {
        var factors = requested?.AllowedFirstAuthFactors ?? ["PASSWORD"];
        foreach (var f in factors)
            if (!FirstAuthFactors.Contains(f))
                throw new InvalidParameterException(
                    $"1 validation error detected: Value '[{string.Join(", ", factors)}]' at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", FirstAuthFactors)}]", "policies.signInPolicy.allowedFirstAuthFactors");
        if (!factors.Contains("PASSWORD"))
            throw new InvalidParameterException("Password should be configured as one of the allowed first auth factors.", "policies.signInPolicy.allowedFirstAuthFactors");
        if (tier == "LITE" && factors.Any(f => f != "PASSWORD"))
            throw new FeatureUnavailableInTierException("Passwordless sign-in (AllowedFirstAuthFactors other than PASSWORD) needs the Essentials or Plus feature plan.");
        return new SignInPolicyType { AllowedFirstAuthFactors = factors.Distinct().ToList() };
    }

    public static AdminCreateUserConfigType AdminCreateUserConfigFrom(AdminCreateUserConfigType? requested, PasswordPolicyType policy) => new()
    {
        AllowAdminCreateUserOnly = requested?.AllowAdminCreateUserOnly ?? false,
        UnusedAccountValidityDays = policy.TemporaryPasswordValidityDays,
        InviteMessageTemplate = requested?.InviteMessageTemplate,
    };

    public static void CheckAutoVerified(List<string>? autoVerified, UserAttributeUpdateSettingsType? updateSettings)
    {
        foreach (var a in autoVerified ?? [])
            if (!VerifiableAttributes.Contains(a))
                throw new InvalidParameterException($"Auto-verified attribute {a} is not valid: use email or phone_number.", "autoVerifiedAttributes");
        foreach (var a in updateSettings?.AttributesRequireVerificationBeforeUpdate ?? [])
            if (autoVerified?.Contains(a) != true)
                throw new InvalidParameterException(
                    $"Invalid user attribute update settings: {a} must be one of the AutoVerifiedAttributes to require verification before update.", "userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate");
    }

    /// <summary>MFA ON or OPTIONAL needs a factor: SMS (an SmsConfiguration) or one SetUserPoolMfaConfig enabled
    /// (kept in the settings document beside the UserPoolType members).</summary>
    public static void CheckMfa(string? mfaConfiguration, SmsConfigurationType? sms, JsonObject extras)
    {
        if (mfaConfiguration is not ("ON" or "OPTIONAL") || sms is not null) return;
        var otherFactor = extras["SoftwareTokenMfaConfiguration"]?["Enabled"]?.GetValue<bool>() == true
                          || extras["EmailMfaConfiguration"] is JsonObject
                          || extras["WebAuthnConfiguration"] is JsonObject;
        if (!otherFactor)
            throw new InvalidParameterException("SMS configuration and Auto verification for phone_number are required when MFA is required/optional", "smsConfiguration");
    }

    /// <summary>Threat protection is a Plus feature.</summary>
    public static void CheckTier(string tier, UserPoolAddOnsType? addOns)
    {
        if (addOns?.AdvancedSecurityMode is "AUDIT" or "ENFORCED" && tier != "PLUS")
            throw new FeatureUnavailableInTierException("Threat protection (AdvancedSecurityMode AUDIT or ENFORCED) needs the Plus feature plan.");
    }

    /// <summary>The template, its fields falling back on the older top-level ones; Cognito keeps both in step, so the pool's
    /// SmsVerificationMessage, EmailVerificationMessage and EmailVerificationSubject are then copied from it.</summary>
    public static VerificationMessageTemplateType VerificationTemplateFrom(VerificationMessageTemplateType? requested,
        string? smsMessage, string? emailMessage, string? emailSubject) =>
        (requested ?? new VerificationMessageTemplateType())
        with
        {
            SmsMessage = requested?.SmsMessage ?? smsMessage,
            EmailMessage = requested?.EmailMessage ?? emailMessage,
            EmailSubject = requested?.EmailSubject ?? emailSubject,
            DefaultEmailOption = requested?.DefaultEmailOption ?? "CONFIRM_WITH_CODE",
        };
}
