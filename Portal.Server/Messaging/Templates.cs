using Portal.Client.Contract;

namespace Portal.Server.Messaging;

/// <summary>A rendered message before delivery: EMAIL (with a subject) or SMS.</summary>
public sealed record Message(string Channel, string? Subject, string Body);

/// <summary>The pool's message templates, with Cognito's defaults where the pool sets none.
/// Placeholders: <c>{####}</c> (the code or temporary password) and <c>{username}</c>.</summary>
public static class Templates
{
    public const string DefaultVerificationMessage = "Your verification code is {####}. ";
    public const string DefaultVerificationSubject = "Your verification code";
    public const string DefaultInvitationMessage = "Your username is {username} and temporary password is {####}. ";
    public const string DefaultInvitationSubject = "Your temporary password";

    /// <summary>The verification message (sign-up, attribute verification, password reset) for a channel.</summary>
    public static Message Verification(UserPoolType pool, string channel, string code, string username)
    {
        var template = pool.VerificationMessageTemplate;
        return channel == Channels.Sms
            ? new Message(channel, null, Render(template?.SmsMessage ?? pool.SmsVerificationMessage ?? DefaultVerificationMessage, code, username))
            : new Message(channel,
                template?.EmailSubject ?? pool.EmailVerificationSubject ?? DefaultVerificationSubject,
                Render(template?.EmailMessage ?? pool.EmailVerificationMessage ?? DefaultVerificationMessage, code, username));
    }

    /// <summary>A sign-in code (passwordless EMAIL_OTP / SMS_OTP): the pool's SMS authentication message, or Cognito's wording.</summary>
    public static Message Authentication(UserPoolType pool, string channel, string code, string username) =>
        channel == Channels.Sms
            ? new Message(channel, null, Render(pool.SmsAuthenticationMessage ?? "Your authentication code is {####}. ", code, username))
            : new Message(channel, "Your sign-in code", Render("Your sign-in code is {####}. It is valid for 3 minutes.", code, username));

    /// <summary>An MFA code after the password: by SMS the pool's SMS authentication message, by email the pool's
    /// EmailMfaConfiguration (SetUserPoolMfaConfig), or Cognito's wording.</summary>
    public static Message Mfa(UserPoolType pool, EmailMfaConfigType? email, string channel, string code, string username) =>
        channel == Channels.Sms
            ? new Message(channel, null, Render(pool.SmsAuthenticationMessage ?? "Your authentication code is {####}. ", code, username))
            : new Message(channel, email?.Subject ?? "Your verification code",
                Render(email?.Message ?? "Your verification code is {####}. It is valid for 3 minutes.", code, username));

    /// <summary>The invitation of AdminCreateUser, carrying the temporary password.</summary>
    public static Message Invitation(UserPoolType pool, string channel, string temporaryPassword, string username)
    {
        var template = pool.AdminCreateUserConfig?.InviteMessageTemplate;
        return channel == Channels.Sms
            ? new Message(channel, null, Render(template?.SMSMessage ?? DefaultInvitationMessage, temporaryPassword, username))
            : new Message(channel, template?.EmailSubject ?? DefaultInvitationSubject,
                Render(template?.EmailMessage ?? DefaultInvitationMessage, temporaryPassword, username));
    }

    public static string Render(string template, string code, string username) =>
        template.Replace("{####}", code, StringComparison.Ordinal).Replace("{username}", username, StringComparison.Ordinal);
}

public static class Channels
{
    public const string Email = "EMAIL";
    public const string Sms = "SMS";

    /// <summary>The channel of a contact attribute: email → EMAIL, phone_number → SMS.</summary>
    public static string Of(string attributeName) => attributeName == "phone_number" ? Sms : Email;
}
