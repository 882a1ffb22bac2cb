using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>What the pool page's settings tab shows: held by the page, so edits survive switching tabs and re-reading
/// the pool after the MFA tab saved.</summary>
public sealed class PoolSettingsForm
{
    /// <summary>The fields an error can be shown next to.</summary>
    public static readonly string[] Fields =
    [
        "PoolName", "AutoVerifiedAttributes", "MinimumLength", "TemporaryPasswordValidityDays",
        "EmailSubject", "EmailMessage", "SmsMessage", "InviteMessageTemplate", "From", "ReplyToEmailAddress",
    ];

    /// <summary>The field an engine error belongs to: the member it names; the verification settings for the rules
    /// between MFA, SMS and verified attributes (the SMS configuration itself is not on this form).</summary>
    public static string? FieldOf(CognitoException e) => e switch
    {
        InvalidParameterException { Member: "smsConfiguration" } => "AutoVerifiedAttributes",
        InvalidParameterException { Member: { } m } when m.StartsWith("userAttributeUpdateSettings", StringComparison.Ordinal) => "AutoVerifiedAttributes",
        _ => CognitoErrors.FieldOf(e, Fields),
    };

    public string? Name { get; set; }
    public string? Recovery { get; set; }
    public string? EmailFrom { get; set; }
    public string? ReplyTo { get; set; }
    public string? VerifySubject { get; set; }
    public string? VerifyMessage { get; set; }
    public string? VerifySms { get; set; }
    public string? InviteSubject { get; set; }
    public string? InviteMessage { get; set; }
    public string? InviteSms { get; set; }
    public bool SelfSignUp { get; set; }
    public bool VerifyEmail { get; set; }
    public bool VerifyPhone { get; set; }
    public bool KeepOriginal { get; set; }
    public bool RequireUpper { get; set; }
    public bool RequireLower { get; set; }
    public bool RequireNumbers { get; set; }
    public bool RequireSymbols { get; set; }
    public int MinLength { get; set; }
    public int TemporaryDays { get; set; }
    public Dictionary<string, string> Errors { get; set; } = [];

    /// <summary>Puts the pool's current settings in the form.</summary>
    public void Fill(UserPoolType pool)
    {
        var p = pool.Policies?.PasswordPolicy;
        Name = pool.Name;
        SelfSignUp = pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly != true;
        var mechanisms = pool.AccountRecoverySetting?.RecoveryMechanisms?.OrderBy(m => m.Priority).ToList() ?? [];
        Recovery = mechanisms.FirstOrDefault()?.Name ?? "verified_email";
        VerifyEmail = pool.AutoVerifiedAttributes?.Contains("email") == true;
        VerifyPhone = pool.AutoVerifiedAttributes?.Contains("phone_number") == true;
        KeepOriginal = pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate is { Count: > 0 };
        EmailFrom = pool.EmailConfiguration?.From;
        ReplyTo = pool.EmailConfiguration?.ReplyToEmailAddress;
        MinLength = p?.MinimumLength ?? 8;
        TemporaryDays = p?.TemporaryPasswordValidityDays ?? 7;
        RequireUpper = p?.RequireUppercase == true;
        RequireLower = p?.RequireLowercase == true;
        RequireNumbers = p?.RequireNumbers == true;
        RequireSymbols = p?.RequireSymbols == true;
        VerifySubject = pool.VerificationMessageTemplate?.EmailSubject ?? pool.EmailVerificationSubject;
        VerifyMessage = pool.VerificationMessageTemplate?.EmailMessage ?? pool.EmailVerificationMessage;
        VerifySms = pool.VerificationMessageTemplate?.SmsMessage ?? pool.SmsVerificationMessage;
        InviteSubject = pool.AdminCreateUserConfig?.InviteMessageTemplate?.EmailSubject;
        InviteMessage = pool.AdminCreateUserConfig?.InviteMessageTemplate?.EmailMessage;
        InviteSms = pool.AdminCreateUserConfig?.InviteMessageTemplate?.SMSMessage;
        Errors = [];
    }

    /// <summary>What the form can tell before asking the engine.</summary>
    public Dictionary<string, string> Check()
    {
        var found = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name)) found["PoolName"] = "Pool name is required.";
        if (MinLength is < 6 or > 99) found["MinimumLength"] = "Between 6 and 99.";
        if (!string.IsNullOrEmpty(VerifyMessage) && !VerifyMessage.Contains("{####}", StringComparison.Ordinal)) found["EmailMessage"] = "Must contain {####}, the code.";
        if (!string.IsNullOrEmpty(VerifySms) && !VerifySms.Contains("{####}", StringComparison.Ordinal)) found["SmsMessage"] = "Must contain {####}, the code.";
        return found;
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>The UpdateUserPool request for the form: the whole pool, with the form's values.</summary>
    public UpdateUserPoolRequest Request(UserPoolType pool)
    {
        var verified = new List<string>();
        if (VerifyEmail) verified.Add("email");
        if (VerifyPhone) verified.Add("phone_number");
        var current = PoolUpdate.From(pool);
        var hasInvite = Blank(InviteSubject) is not null || Blank(InviteMessage) is not null || Blank(InviteSms) is not null;
        var hasEmailConfig = current.EmailConfiguration is not null || Blank(EmailFrom) is not null || Blank(ReplyTo) is not null;
        return current with
        {
            PoolName = Name?.Trim(),
            AutoVerifiedAttributes = verified,
            UserAttributeUpdateSettings = new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = KeepOriginal ? verified : [] },
            Policies = (current.Policies ?? new()) with
            {
                PasswordPolicy = (current.Policies?.PasswordPolicy ?? new()) with
                {
                    MinimumLength = MinLength,
                    TemporaryPasswordValidityDays = TemporaryDays,
                    RequireUppercase = RequireUpper,
                    RequireLowercase = RequireLower,
                    RequireNumbers = RequireNumbers,
                    RequireSymbols = RequireSymbols,
                },
            },
            AdminCreateUserConfig = (current.AdminCreateUserConfig ?? new()) with
            {
                AllowAdminCreateUserOnly = !SelfSignUp,
                InviteMessageTemplate = hasInvite
                    ? new MessageTemplateType { EmailSubject = Blank(InviteSubject), EmailMessage = Blank(InviteMessage), SMSMessage = Blank(InviteSms) }
                    : null,
            },
            AccountRecoverySetting = new AccountRecoverySettingType
            {
                RecoveryMechanisms = Recovery switch
                {
                    "admin_only" => [new() { Name = "admin_only", Priority = 1 }],
                    "verified_phone_number" => [new() { Name = "verified_phone_number", Priority = 1 }, new() { Name = "verified_email", Priority = 2 }],
                    _ => [new() { Name = "verified_email", Priority = 1 }, new() { Name = "verified_phone_number", Priority = 2 }],
                },
            },
            VerificationMessageTemplate = (current.VerificationMessageTemplate ?? new()) with
            {
                EmailSubject = Blank(VerifySubject),
                EmailMessage = Blank(VerifyMessage),
                SmsMessage = Blank(VerifySms),
            },
            EmailConfiguration = hasEmailConfig
                ? (current.EmailConfiguration ?? new()) with { From = Blank(EmailFrom), ReplyToEmailAddress = Blank(ReplyTo) }
                : null,
        };
    }
}
