using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>UpdateUserPool as an operator means it: Cognito resets the settings a request leaves out, so every
/// change starts from the whole current pool and alters only what the operator changed.</summary>
public static class PoolUpdate
{
    public static UpdateUserPoolRequest From(UserPoolType pool) => new()
    {
        UserPoolId = pool.Id,
        PoolName = pool.Name,
        Policies = pool.Policies,
        DeletionProtection = pool.DeletionProtection,
        LambdaConfig = pool.LambdaConfig,
        AutoVerifiedAttributes = pool.AutoVerifiedAttributes,
        VerificationMessageTemplate = pool.VerificationMessageTemplate,
        SmsAuthenticationMessage = pool.SmsAuthenticationMessage,
        UserAttributeUpdateSettings = pool.UserAttributeUpdateSettings,
        MfaConfiguration = pool.MfaConfiguration,
        DeviceConfiguration = pool.DeviceConfiguration,
        EmailConfiguration = pool.EmailConfiguration,
        SmsConfiguration = pool.SmsConfiguration,
        UserPoolTags = pool.UserPoolTags,
        // UnusedAccountValidityDays is the legacy twin of TemporaryPasswordValidityDays: sending both is refused.
        AdminCreateUserConfig = pool.AdminCreateUserConfig is { } admin ? admin with { UnusedAccountValidityDays = null } : null,
        UserPoolAddOns = pool.UserPoolAddOns,
        AccountRecoverySetting = pool.AccountRecoverySetting,
        UserPoolTier = pool.UserPoolTier,
    };
}
