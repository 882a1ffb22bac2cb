using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

/// <summary>Changes the members the request gives and keeps the others, as Cognito does today (UserPoolTier,
/// Policies, MfaConfiguration, DeletionProtection... survive an update that leaves them out). Sign-in attributes,
/// the schema and username case sensitivity are not members of the request: they never change here.</summary>
sealed class UpdateUserPool(UserPoolStore pools, TimeProvider clock) : IOperation<UpdateUserPoolRequest, UpdateUserPoolResponse>
{
    public async Task<UpdateUserPoolResponse> Handle(UpdateUserPoolRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var current = pool.Settings;
        var tier = request.UserPoolTier ?? current.UserPoolTier ?? "ESSENTIALS";
        var autoVerified = request.AutoVerifiedAttributes ?? current.AutoVerifiedAttributes;
        var updateSettings = request.UserAttributeUpdateSettings ?? current.UserAttributeUpdateSettings;
        UserPoolSettings.CheckAutoVerified(autoVerified, updateSettings);
        var addOns = request.UserPoolAddOns ?? current.UserPoolAddOns;
        UserPoolSettings.CheckTier(tier, addOns);
        var mfa = request.MfaConfiguration ?? current.MfaConfiguration ?? "OFF";
        var sms = request.SmsConfiguration ?? current.SmsConfiguration;
        UserPoolSettings.CheckMfa(mfa, sms, UserPoolStore.Extras(pool.Row));
        Tags.Check(request.UserPoolTags);

        PasswordPolicyType passwordPolicy;
        if (request.Policies?.PasswordPolicy is { } requested)
            passwordPolicy = UserPoolSettings.PasswordPolicyFrom(requested, request.AdminCreateUserConfig?.UnusedAccountValidityDays);
        else
        {
            passwordPolicy = current.Policies?.PasswordPolicy ?? UserPoolSettings.PasswordPolicyFrom(null, null);
            if (request.AdminCreateUserConfig?.UnusedAccountValidityDays is { } days) passwordPolicy = passwordPolicy with { TemporaryPasswordValidityDays = days };
        }
        var signInPolicy = UserPoolSettings.SignInPolicyFrom(request.Policies?.SignInPolicy ?? current.Policies?.SignInPolicy, tier);

        var verification = request.VerificationMessageTemplate is not null
            || request.SmsVerificationMessage is not null || request.EmailVerificationMessage is not null || request.EmailVerificationSubject is not null
            ? UserPoolSettings.VerificationTemplateFrom(request.VerificationMessageTemplate,
                request.SmsVerificationMessage, request.EmailVerificationMessage, request.EmailVerificationSubject)
            : null;
        UserPoolStore.Write(pool.Row, current with
        {
            Policies = new UserPoolPolicyType { PasswordPolicy = passwordPolicy, SignInPolicy = signInPolicy },
            LambdaConfig = request.LambdaConfig ?? current.LambdaConfig,
            AutoVerifiedAttributes = autoVerified,
            SmsVerificationMessage = verification is null ? current.SmsVerificationMessage : verification.SmsMessage,
            EmailVerificationMessage = verification is null ? current.EmailVerificationMessage : verification.EmailMessage,
            EmailVerificationSubject = verification is null ? current.EmailVerificationSubject : verification.EmailSubject,
            VerificationMessageTemplate = verification ?? current.VerificationMessageTemplate,
            SmsAuthenticationMessage = request.SmsAuthenticationMessage ?? current.SmsAuthenticationMessage,
            UserAttributeUpdateSettings = updateSettings ?? new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = [] },
            MfaConfiguration = mfa,
            DeviceConfiguration = request.DeviceConfiguration ?? current.DeviceConfiguration,
            EmailConfiguration = request.EmailConfiguration ?? current.EmailConfiguration,
            SmsConfiguration = sms,
            AdminCreateUserConfig = request.AdminCreateUserConfig is { } admin
                ? UserPoolSettings.AdminCreateUserConfigFrom(admin, passwordPolicy)
                : (current.AdminCreateUserConfig ?? new()) with { UnusedAccountValidityDays = passwordPolicy.TemporaryPasswordValidityDays },
            UserPoolAddOns = addOns,
            AccountRecoverySetting = request.AccountRecoverySetting ?? current.AccountRecoverySetting,
            UserPoolTier = tier,
        });
        if (request.PoolName is not null) pool.Row.Name = request.PoolName;
        if (request.DeletionProtection is not null) pool.Row.DeletionProtection = request.DeletionProtection == "ACTIVE";
        if (request.UserPoolTags is not null) UserPoolStore.SetTags(pool.Row, request.UserPoolTags);
        pool.Row.LastModifiedAt = clock.GetUtcNow();
        await pools.Save(ct);
        return new UpdateUserPoolResponse();
    }
}
