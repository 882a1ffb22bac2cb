using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateUserPool(PortalDb db, Ids ids, UserPoolStore pools, TimeProvider clock)
    : IOperation<CreateUserPoolRequest, CreateUserPoolResponse>
{
    static readonly string[] SignInAttributes = ["email", "phone_number", "preferred_username"];

    public async Task<CreateUserPoolResponse> Handle(CreateUserPoolRequest request, CancellationToken ct)
    {
        if (request.UsernameAttributes is { Count: > 0 } && request.AliasAttributes is { Count: > 0 })
            throw new InvalidParameterException("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
        foreach (var a in request.AliasAttributes ?? [])
            if (!SignInAttributes.Contains(a)) throw new InvalidParameterException($"Alias attribute {a} is not valid: use email, phone_number or preferred_username.");
        foreach (var a in request.UsernameAttributes ?? [])
            if (a is not ("email" or "phone_number")) throw new InvalidParameterException($"Username attribute {a} is not valid: use email or phone_number.");
        foreach (var a in request.AutoVerifiedAttributes ?? [])
            if (a is not ("email" or "phone_number")) throw new InvalidParameterException($"Auto-verified attribute {a} is not valid: use email or phone_number.");

        var policy = request.Policies?.PasswordPolicy ?? PasswordPolicy.Default;
        if (policy.MinimumLength is < 6 or > 99)
            throw new InvalidParameterException("Password policy MinimumLength must be between 6 and 99.");
        var now = clock.GetUtcNow();
        var row = new UserPoolRow
        {
            Id = ids.NewUserPoolId(),
            Name = request.PoolName!,
            CreatedAt = now,
            LastModifiedAt = now,
            DeletionProtection = request.DeletionProtection == "ACTIVE",
            UsernameCaseSensitive = request.UsernameConfiguration?.CaseSensitive ?? false,
            Tags = System.Text.Json.JsonSerializer.Serialize(request.UserPoolTags ?? []),
        };
        UserPoolStore.Write(row, new UserPoolType
        {
            Policies = new UserPoolPolicyType
            {
                PasswordPolicy = PasswordPolicy.Default with
                {
                    MinimumLength = policy.MinimumLength ?? 8,
                    RequireUppercase = policy.RequireUppercase ?? false,
                    RequireLowercase = policy.RequireLowercase ?? false,
                    RequireNumbers = policy.RequireNumbers ?? false,
                    RequireSymbols = policy.RequireSymbols ?? false,
                    TemporaryPasswordValidityDays = policy.TemporaryPasswordValidityDays ?? 7,
                    PasswordHistorySize = policy.PasswordHistorySize,
                },
                SignInPolicy = request.Policies?.SignInPolicy ?? new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD"] },
            },
            LambdaConfig = request.LambdaConfig ?? new LambdaConfigType(),
            Status = "Enabled",
            SchemaAttributes = Schema.Merge(request.Schema),
            AutoVerifiedAttributes = request.AutoVerifiedAttributes,
            AliasAttributes = request.AliasAttributes,
            UsernameAttributes = request.UsernameAttributes,
            SmsVerificationMessage = request.SmsVerificationMessage,
            EmailVerificationMessage = request.EmailVerificationMessage,
            EmailVerificationSubject = request.EmailVerificationSubject,
            VerificationMessageTemplate = request.VerificationMessageTemplate ?? new VerificationMessageTemplateType
            {
                SmsMessage = request.SmsVerificationMessage,
                EmailMessage = request.EmailVerificationMessage,
                EmailSubject = request.EmailVerificationSubject,
                DefaultEmailOption = "CONFIRM_WITH_CODE",
            },
            SmsAuthenticationMessage = request.SmsAuthenticationMessage,
            UserAttributeUpdateSettings = request.UserAttributeUpdateSettings ?? new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = [] },
            MfaConfiguration = request.MfaConfiguration ?? "OFF",
            DeviceConfiguration = request.DeviceConfiguration,
            EmailConfiguration = request.EmailConfiguration ?? new EmailConfigurationType { EmailSendingAccount = "COGNITO_DEFAULT" },
            SmsConfiguration = request.SmsConfiguration,
            AdminCreateUserConfig = request.AdminCreateUserConfig ?? new AdminCreateUserConfigType
            {
                AllowAdminCreateUserOnly = false, UnusedAccountValidityDays = policy.TemporaryPasswordValidityDays ?? 7,
            },
            UserPoolAddOns = request.UserPoolAddOns,
            UsernameConfiguration = new UsernameConfigurationType { CaseSensitive = row.UsernameCaseSensitive },
            AccountRecoverySetting = request.AccountRecoverySetting,
            UserPoolTier = request.UserPoolTier ?? "ESSENTIALS",
        });
        db.UserPools.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateUserPoolResponse { UserPool = await pools.Describe(row, ct) };
    }
}
