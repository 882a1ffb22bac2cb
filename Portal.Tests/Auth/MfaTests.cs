using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>MFA over the wire: the pool's factors (SetUserPoolMfaConfig), authenticators (AssociateSoftwareToken,
/// VerifySoftwareToken), the user's preference, and the challenges after the password (SOFTWARE_TOKEN_MFA, SMS_MFA,
/// EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP). On a server whose clock the test moves: an authenticator code is good once, so
/// a second sign-in waits for the next 30-second step.</summary>
[Collection(ClockedCollection.Name)]
public sealed class MfaTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    static readonly SmsConfigurationType Sms = new() { SnsCallerArn = "arn:aws:iam::123456789012:role/sms" };

    async Task<AuthKit.App> Pool(string mode, bool totp = false, bool sms = false, EmailMfaConfigType? email = null)
    {
        var app = await kit.Pool(new CreateUserPoolRequest { SmsConfiguration = sms ? Sms : null, SmsAuthenticationMessage = "Shop code {####}" });
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, MfaConfiguration = mode,
            SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = totp },
            SmsMfaConfiguration = sms ? new SmsMfaConfigType { SmsAuthenticationMessage = "Shop code {####}" } : null,
            EmailMfaConfiguration = email,
        });
        return app;
    }

    Task<RespondToAuthChallengeResponse> Answer(AuthKit.App app, string challenge, string? session, Dictionary<string, string> responses) =>
        kit.Anonymous.Send(new RespondToAuthChallengeRequest { ClientId = app.ClientId, ChallengeName = challenge, Session = session, ChallengeResponses = responses });

    /// <summary>The code an authenticator app shows now for this secret.</summary>
    string Totp(string secret) => Mfa.Totp(Mfa.FromBase32(secret), server.Clock.GetUtcNow().ToUnixTimeSeconds() / 30);

    /// <summary>The authenticator's next code: time moves to the next 30-second step.</summary>
    string NextTotp(string secret)
    {
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        return Totp(secret);
    }

    static string Wrong(string code) => code == "000000" ? "111111" : "000000";

    Task<OutboxMessage> Sent(string destination) => kit.Db(async db =>
    {
        var row = await db.Outbox.AsNoTracking().Where(m => m.Destination == destination).OrderByDescending(m => m.CreatedAt).FirstAsync();
        return new OutboxMessage(row.Subject, row.Body, Regex.Match(row.Body, @"\b\d{6}\b").Value);
    });

    sealed record OutboxMessage(string? Subject, string Body, string Code);

    [Fact]
    public async Task The_pools_factors_are_set_and_read_back_and_required_mfa_needs_a_factor()
    {
        var app = await kit.Pool();
        var off = await kit.Admin.Send(new GetUserPoolMfaConfigRequest { UserPoolId = app.PoolId });
        Assert.Equal("OFF", off.MfaConfiguration);
        Assert.False(off.SoftwareTokenMfaConfiguration!.Enabled);
        Assert.Null(off.SmsMfaConfiguration);

        var none = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new SetUserPoolMfaConfigRequest { UserPoolId = app.PoolId, MfaConfiguration = "ON" }));
        Assert.Contains("can't turn off all MFAs", none.Message);
        var noSns = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, MfaConfiguration = "OPTIONAL", SmsMfaConfiguration = new SmsMfaConfigType { SmsAuthenticationMessage = "Code {####}" },
        }));
        Assert.Contains("SnsCallerArn", noSns.Message);
        Assert.Equal("OFF", (await kit.Admin.Send(new GetUserPoolMfaConfigRequest { UserPoolId = app.PoolId })).MfaConfiguration);

        var set = await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, MfaConfiguration = "ON",
            SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
            SmsMfaConfiguration = new SmsMfaConfigType { SmsAuthenticationMessage = "Your code {####}", SmsConfiguration = Sms },
            EmailMfaConfiguration = new EmailMfaConfigType { Subject = "Shop sign-in", Message = "Your code is {####}" },
        });
        Assert.Equal("ON", set.MfaConfiguration);
        var read = await kit.Admin.Send(new GetUserPoolMfaConfigRequest { UserPoolId = app.PoolId });
        Assert.True(read.SoftwareTokenMfaConfiguration!.Enabled);
        Assert.Equal("Your code {####}", read.SmsMfaConfiguration!.SmsAuthenticationMessage);
        Assert.Equal(Sms.SnsCallerArn, read.SmsMfaConfiguration.SmsConfiguration!.SnsCallerArn);
        Assert.Equal("Shop sign-in", read.EmailMfaConfiguration!.Subject);
        Assert.Equal("ON", (await kit.Admin.Send(new DescribeUserPoolRequest { UserPoolId = app.PoolId })).UserPool!.MfaConfiguration);

        // A factor the request leaves out is turned off.
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, MfaConfiguration = "OPTIONAL", SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = true },
        });
        read = await kit.Admin.Send(new GetUserPoolMfaConfigRequest { UserPoolId = app.PoolId });
        Assert.Equal("OPTIONAL", read.MfaConfiguration);
        Assert.Null(read.SmsMfaConfiguration);
        Assert.Null(read.EmailMfaConfiguration);
        Assert.True(read.SoftwareTokenMfaConfiguration!.Enabled);
    }

    [Fact]
    public async Task An_authenticator_is_associated_verified_and_turned_on_and_then_every_sign_in_asks_for_a_fresh_code()
    {
        var app = await Pool("OPTIONAL", totp: true);
        await kit.User(app.PoolId, "tom");
        // No factor yet: OPTIONAL MFA signs the user straight in.
        var first = await kit.PasswordSignIn(app, "tom");
        var accessToken = first.AuthenticationResult!.AccessToken!;

        var associated = await kit.Anonymous.Send(new AssociateSoftwareTokenRequest { AccessToken = accessToken });
        var secret = associated.SecretCode!;
        Assert.Matches("^[A-Z2-7]{52}$", secret);
        var early = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new SetUserMFAPreferenceRequest
        {
            AccessToken = accessToken, SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true },
        }));
        Assert.Contains("not verified software token", early.Message);
        await Assert.ThrowsAsync<EnableSoftwareTokenMFAException>(() => kit.Anonymous.Send(new VerifySoftwareTokenRequest { AccessToken = accessToken, UserCode = Wrong(Totp(secret)) }));
        var verified = await kit.Anonymous.Send(new VerifySoftwareTokenRequest { AccessToken = accessToken, UserCode = Totp(secret), FriendlyDeviceName = "Tom's phone" });
        Assert.Equal("SUCCESS", verified.Status);
        Assert.Null((await kit.Anonymous.Send(new GetUserRequest { AccessToken = accessToken })).UserMFASettingList);

        await kit.Anonymous.Send(new SetUserMFAPreferenceRequest
        {
            AccessToken = accessToken, SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true },
        });
        var me = await kit.Anonymous.Send(new GetUserRequest { AccessToken = accessToken });
        Assert.Equal(["SOFTWARE_TOKEN_MFA"], me.UserMFASettingList);
        Assert.Equal("SOFTWARE_TOKEN_MFA", me.PreferredMfaSetting);
        var stored = await kit.Row(app.PoolId, "tom");
        Assert.DoesNotContain(secret, stored.Mfa);

        // The password alone no longer signs in: the authenticator's code does, once.
        var challenge = await kit.PasswordSignIn(app, "tom");
        Assert.Equal("SOFTWARE_TOKEN_MFA", challenge.ChallengeName);
        Assert.Null(challenge.AuthenticationResult);
        Assert.Equal("Tom's phone", challenge.ChallengeParameters!["FRIENDLY_DEVICE_NAME"]);
        var code = NextTotp(secret);
        var mismatch = await Assert.ThrowsAsync<CodeMismatchException>(() =>
            Answer(app, "SOFTWARE_TOKEN_MFA", challenge.Session, new() { ["USERNAME"] = "tom", ["SOFTWARE_TOKEN_MFA_CODE"] = Wrong(code) }));
        Assert.Equal("Invalid code received for user", mismatch.Message);
        var signedIn = await Answer(app, "SOFTWARE_TOKEN_MFA", challenge.Session, new() { ["USERNAME"] = "tom", ["SOFTWARE_TOKEN_MFA_CODE"] = code });
        Assert.NotNull(signedIn.AuthenticationResult?.IdToken);

        // The same code again is refused (a replay), through SRP as well.
        var srp = new SrpClient(app.PoolId);
        var verifier = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH", AuthParameters = new() { ["USERNAME"] = "tom", ["SRP_A"] = srp.SrpA },
        });
        var again = await Answer(app, "PASSWORD_VERIFIER", verifier.Session, srp.Answer(verifier.ChallengeParameters!, AuthKit.Password, server.Clock.GetUtcNow()));
        Assert.Equal("SOFTWARE_TOKEN_MFA", again.ChallengeName);
        await Assert.ThrowsAsync<CodeMismatchException>(() =>
            Answer(app, "SOFTWARE_TOKEN_MFA", again.Session, new() { ["USERNAME"] = "tom", ["SOFTWARE_TOKEN_MFA_CODE"] = code }));
        var next = await Answer(app, "SOFTWARE_TOKEN_MFA", again.Session, new() { ["USERNAME"] = "tom", ["SOFTWARE_TOKEN_MFA_CODE"] = NextTotp(secret) });
        Assert.NotNull(next.AuthenticationResult?.AccessToken);

        // An administrator turns it off (a lost phone): the password signs in again.
        await kit.Admin.Send(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = app.PoolId, Username = "tom", SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = false, PreferredMfa = false },
        });
        Assert.Null((await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = app.PoolId, Username = "tom" })).UserMFASettingList);
        Assert.NotNull((await kit.PasswordSignIn(app, "tom")).AuthenticationResult);
    }

    [Fact]
    public async Task A_pool_that_requires_mfa_has_the_user_set_up_an_authenticator_while_signing_in()
    {
        var app = await Pool("ON", totp: true);
        await kit.User(app.PoolId, "una");
        var setup = await kit.PasswordSignIn(app, "una");
        Assert.Equal("MFA_SETUP", setup.ChallengeName);
        Assert.Equal("[\"SOFTWARE_TOKEN_MFA\"]", setup.ChallengeParameters!["MFAS_CAN_SETUP"]);
        var tooSoon = await Assert.ThrowsAsync<InvalidParameterException>(() => Answer(app, "MFA_SETUP", setup.Session, new() { ["USERNAME"] = "una" }));
        Assert.Contains("AssociateSoftwareToken", tooSoon.Message);

        var associated = await kit.Anonymous.Send(new AssociateSoftwareTokenRequest { Session = setup.Session });
        Assert.NotEqual(setup.Session, associated.Session);
        await Assert.ThrowsAsync<EnableSoftwareTokenMFAException>(() =>
            kit.Anonymous.Send(new VerifySoftwareTokenRequest { Session = associated.Session, UserCode = Wrong(Totp(associated.SecretCode!)) }));
        var verified = await kit.Anonymous.Send(new VerifySoftwareTokenRequest { Session = associated.Session, UserCode = Totp(associated.SecretCode!) });
        Assert.Equal("SUCCESS", verified.Status);
        var signedIn = await Answer(app, "MFA_SETUP", verified.Session, new() { ["USERNAME"] = "una" });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        // The earlier sessions of the setup are spent.
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new AssociateSoftwareTokenRequest { Session = setup.Session }));

        var user = await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = app.PoolId, Username = "una" });
        Assert.Equal(["SOFTWARE_TOKEN_MFA"], user.UserMFASettingList);
        Assert.Equal("SOFTWARE_TOKEN_MFA", user.PreferredMfaSetting);
        var challenge = await kit.PasswordSignIn(app, "una");
        Assert.Equal("SOFTWARE_TOKEN_MFA", challenge.ChallengeName);
        Assert.NotNull((await Answer(app, "SOFTWARE_TOKEN_MFA", challenge.Session, new() { ["USERNAME"] = "una", ["SOFTWARE_TOKEN_MFA_CODE"] = NextTotp(associated.SecretCode!) }))
            .AuthenticationResult);
    }

    [Fact]
    public async Task Codes_by_sms_and_email_follow_the_users_choice_and_the_pools_messages()
    {
        var app = await Pool("OPTIONAL", sms: true, email: new EmailMfaConfigType { Subject = "Shop sign-in", Message = "Your Shop code is {####}" });
        await kit.User(app.PoolId, "vic", attributes: [("email", "vic@example.com"), ("phone_number", "+15555550142")]);
        await kit.Admin.Send(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = app.PoolId, Username = "vic",
            SMSMfaSettings = new SMSMfaSettingsType { Enabled = true }, EmailMfaSettings = new EmailMfaSettingsType { Enabled = true },
        });

        // Two factors and no preference: the user chooses.
        var choice = await kit.PasswordSignIn(app, "vic");
        Assert.Equal("SELECT_MFA_TYPE", choice.ChallengeName);
        Assert.Equal("[\"SMS_MFA\",\"EMAIL_OTP\"]", choice.ChallengeParameters!["MFAS_CAN_CHOOSE"]);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Answer(app, "SELECT_MFA_TYPE", choice.Session, new() { ["USERNAME"] = "vic", ["ANSWER"] = "SOFTWARE_TOKEN_MFA" }));
        var email = await Answer(app, "SELECT_MFA_TYPE", choice.Session, new() { ["USERNAME"] = "vic", ["ANSWER"] = "EMAIL_OTP" });
        Assert.Equal("EMAIL_OTP", email.ChallengeName);
        Assert.Equal("EMAIL", email.ChallengeParameters!["CODE_DELIVERY_DELIVERY_MEDIUM"]);
        var mail = await Sent("vic@example.com");
        Assert.Equal("Shop sign-in", mail.Subject);
        Assert.StartsWith("Your Shop code is ", mail.Body);
        Assert.NotNull((await Answer(app, "EMAIL_OTP", email.Session, new() { ["USERNAME"] = "vic", ["EMAIL_OTP_CODE"] = mail.Code })).AuthenticationResult);

        // SMS preferred: no choice, a code by SMS in the pool's words.
        await kit.Admin.Send(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = app.PoolId, Username = "vic", SMSMfaSettings = new SMSMfaSettingsType { Enabled = true, PreferredMfa = true },
        });
        Assert.Equal("SMS_MFA", (await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = app.PoolId, Username = "vic" })).PreferredMfaSetting);
        var sms = await kit.PasswordSignIn(app, "vic");
        Assert.Equal("SMS_MFA", sms.ChallengeName);
        Assert.Equal("+*******0142", sms.ChallengeParameters!["CODE_DELIVERY_DESTINATION"]);
        var text = await Sent("+15555550142");
        Assert.StartsWith("Shop code ", text.Body);
        await Assert.ThrowsAsync<CodeMismatchException>(() => Answer(app, "SMS_MFA", sms.Session, new() { ["USERNAME"] = "vic", ["SMS_MFA_CODE"] = Wrong(text.Code) }));
        Assert.NotNull((await Answer(app, "SMS_MFA", sms.Session, new() { ["USERNAME"] = "vic", ["SMS_MFA_CODE"] = text.Code })).AuthenticationResult);

        // A factor the pool does not offer cannot be turned on.
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new AdminSetUserMFAPreferenceRequest
        {
            UserPoolId = app.PoolId, Username = "vic", SoftwareTokenMfaSettings = new SoftwareTokenMfaSettingsType { Enabled = true },
        }));
        Assert.Contains("not enabled for the user pool", refused.Message);
    }

    [Fact]
    public async Task Required_mfa_sends_a_code_by_sms_to_a_user_with_a_phone_number_and_the_new_password_comes_first()
    {
        var app = await Pool("ON", sms: true);
        await kit.User(app.PoolId, "wes", password: "Temp0rary!x", permanent: false, attributes: [("phone_number", "+15555550177")]);
        var newPassword = await kit.PasswordSignIn(app, "wes", "Temp0rary!x");
        Assert.Equal("NEW_PASSWORD_REQUIRED", newPassword.ChallengeName);
        var sms = await Answer(app, "NEW_PASSWORD_REQUIRED", newPassword.Session, new() { ["USERNAME"] = "wes", ["NEW_PASSWORD"] = AuthKit.Password });
        Assert.Equal("SMS_MFA", sms.ChallengeName);
        var text = await Sent("+15555550177");
        var signedIn = await Answer(app, "SMS_MFA", sms.Session, new() { ["USERNAME"] = "wes", ["SMS_MFA_CODE"] = text.Code });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        Assert.Equal("CONFIRMED", (await kit.Admin.Send(new AdminGetUserRequest { UserPoolId = app.PoolId, Username = "wes" })).UserStatus);
    }
}
