using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateUserPool(PortalDb db, Ids ids, UserPoolStore pools, Testing.FastHashing testing, TimeProvider clock)
    : IOperation<CreateUserPoolRequest, CreateUserPoolResponse>
{
    static readonly string[] AliasAttributes = ["email", "phone_number", "preferred_username"];

    public async Task<CreateUserPoolResponse> Handle(CreateUserPoolRequest request, CancellationToken ct)
    {
        if (request.UsernameAttributes is { Count: > 0 } && request.AliasAttributes is { Count: > 0 })
            throw new InvalidParameterException("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.", "usernameAttributes");
        foreach (var a in request.AliasAttributes ?? [])
            if (!AliasAttributes.Contains(a)) throw new InvalidParameterException($"Alias attribute {a} is not valid: use email, phone_number or preferred_username.", "aliasAttributes");
        foreach (var a in request.UsernameAttributes ?? [])
            if (a is not ("email" or "phone_number")) throw new InvalidParameterException($"Username attribute {a} is not valid: use email or phone_number.", "usernameAttributes");
        UserPoolSettings.CheckAutoVerified(request.AutoVerifiedAttributes, request.UserAttributeUpdateSettings);
        var tier = request.UserPoolTier ?? "ESSENTIALS";
        UserPoolSettings.CheckTier(tier, request.UserPoolAddOns);
        UserPoolSettings.CheckMfa(request.MfaConfiguration, request.SmsConfiguration, new());
        Tags.Check(request.UserPoolTags);
        var passwordPolicy = UserPoolSettings.PasswordPolicyFrom(request.Policies?.PasswordPolicy, request.AdminCreateUserConfig?.UnusedAccountValidityDays);
        var signInPolicy = UserPoolSettings.SignInPolicyFrom(request.Policies?.SignInPolicy, tier);
        var schema = Schema.Merge(request.Schema);

        var now = clock.GetUtcNow();
        var row = new UserPoolRow
        {
            Id = ids.NewUserPoolId(),
            Name = request.PoolName!,
            CreatedAt = now,
            LastModifiedAt = now,
            DeletionProtection = request.DeletionProtection == "ACTIVE",
            // Portal's default is Cognito's recommendation (case insensitive); the API reference's default is true.
            UsernameCaseSensitive = request.UsernameConfiguration?.CaseSensitive ?? false,
        };
        UserPoolStore.SetTags(row, request.UserPoolTags ?? []);
        var verification = UserPoolSettings.VerificationTemplateFrom(request.VerificationMessageTemplate,
            request.SmsVerificationMessage, request.EmailVerificationMessage, request.EmailVerificationSubject);
        UserPoolStore.Write(row, new UserPoolType
        {
            Policies = new UserPoolPolicyType { PasswordPolicy = passwordPolicy, SignInPolicy = signInPolicy },
            LambdaConfig = request.LambdaConfig ?? new LambdaConfigType(),
            Status = "Enabled",
            SchemaAttributes = schema,
            AutoVerifiedAttributes = request.AutoVerifiedAttributes,
            AliasAttributes = request.AliasAttributes,
            UsernameAttributes = request.UsernameAttributes,
            SmsVerificationMessage = verification.SmsMessage,
            EmailVerificationMessage = verification.EmailMessage,
            EmailVerificationSubject = verification.EmailSubject,
            VerificationMessageTemplate = verification,
            SmsAuthenticationMessage = request.SmsAuthenticationMessage,
            UserAttributeUpdateSettings = request.UserAttributeUpdateSettings ?? new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = [] },
            MfaConfiguration = request.MfaConfiguration ?? "OFF",
            DeviceConfiguration = request.DeviceConfiguration,
            EmailConfiguration = request.EmailConfiguration ?? new EmailConfigurationType { EmailSendingAccount = "COGNITO_DEFAULT" },
            SmsConfiguration = request.SmsConfiguration,
            AdminCreateUserConfig = UserPoolSettings.AdminCreateUserConfigFrom(request.AdminCreateUserConfig, passwordPolicy),
            UserPoolAddOns = request.UserPoolAddOns,
            UsernameConfiguration = new UsernameConfigurationType { CaseSensitive = row.UsernameCaseSensitive },
            AccountRecoverySetting = request.AccountRecoverySetting,
            UserPoolTier = tier,
        });
        db.UserPools.Add(row);
        testing.Created(row.Id);
        await db.SaveChangesAsync(ct);
        return new CreateUserPoolResponse { UserPool = await pools.Describe(row, ct) };
    }
}
