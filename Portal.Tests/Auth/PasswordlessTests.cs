using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>Passwordless first factors of USER_AUTH over the wire: a one-time code by email (EMAIL_OTP) or SMS (SMS_OTP)
/// to a verified address, offered as the pool's sign-in policy allows, chosen up front or from SELECT_CHALLENGE.</summary>
[Collection(ServerCollection.Name)]
public sealed class PasswordlessTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    Task<AuthKit.App> Pool(params string[] factors) => kit.Pool(new CreateUserPoolRequest
    {
        UserPoolTier = "ESSENTIALS", SmsAuthenticationMessage = "Shop sign-in code {####}",
        Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", .. factors] } },
    });

    Task<string> User(AuthKit.App app, string name, bool emailVerified = true, bool phoneVerified = false) =>
        kit.User(app.PoolId, name, attributes:
        [
            ("email", $"{name}@example.com"), ("email_verified", emailVerified ? "true" : "false"),
            ("phone_number", "+15555550123"), ("phone_number_verified", phoneVerified ? "true" : "false"),
        ]);

    Task<InitiateAuthResponse> Start(AuthKit.App app, string name, string? preferred = null) => kit.Anonymous.Send(new InitiateAuthRequest
    {
        ClientId = app.ClientId, AuthFlow = "USER_AUTH",
        AuthParameters = preferred is null ? new() { ["USERNAME"] = name } : new() { ["USERNAME"] = name, ["PREFERRED_CHALLENGE"] = preferred },
    });

    Task<RespondToAuthChallengeResponse> Answer(AuthKit.App app, string challenge, string? session, Dictionary<string, string> responses) =>
        kit.Anonymous.Send(new RespondToAuthChallengeRequest { ClientId = app.ClientId, ChallengeName = challenge, Session = session, ChallengeResponses = responses });

    /// <summary>The newest message to this address, as the outbox recorded it for delivery.</summary>
    Task<SentMessage> Sent(string destination) => kit.Db(async db =>
    {
        var row = await db.Outbox.AsNoTracking().Where(m => m.Destination == destination).OrderByDescending(m => m.CreatedAt).FirstAsync();
        return new SentMessage(row.Channel, row.Subject, row.Body);
    });

    static string Code(string body) => Regex.Match(body, @"\b\d{8}\b").Value;

    [Fact]
    public async Task A_code_by_email_signs_the_user_in_and_a_wrong_code_may_be_tried_again_with_the_same_session()
    {
        var app = await Pool("EMAIL_OTP");
        await User(app, "olga");
        var challenge = await Start(app, "olga", "EMAIL_OTP");
        Assert.Equal("EMAIL_OTP", challenge.ChallengeName);
        Assert.Equal("EMAIL", challenge.ChallengeParameters!["CODE_DELIVERY_DELIVERY_MEDIUM"]);
        Assert.Equal("o***@e***", challenge.ChallengeParameters["CODE_DELIVERY_DESTINATION"]);
        var mail = await Sent("olga@example.com");
        Assert.Equal("EMAIL", mail.Channel);
        Assert.Equal("Your sign-in code", mail.Subject);
        var code = Code(mail.Body);
        Assert.Equal(8, code.Length);

        var wrong = code == "00000000" ? "11111111" : "00000000";
        await Assert.ThrowsAsync<CodeMismatchException>(() => Answer(app, "EMAIL_OTP", challenge.Session, new() { ["USERNAME"] = "olga", ["EMAIL_OTP_CODE"] = wrong }));
        var signedIn = await Answer(app, "EMAIL_OTP", challenge.Session, new() { ["USERNAME"] = "olga", ["EMAIL_OTP_CODE"] = code });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        Assert.NotNull(signedIn.AuthenticationResult.RefreshToken);

        // The session and the code are spent.
        await Assert.ThrowsAsync<NotAuthorizedException>(() => Answer(app, "EMAIL_OTP", challenge.Session, new() { ["USERNAME"] = "olga", ["EMAIL_OTP_CODE"] = code }));
    }

    [Fact]
    public async Task Select_challenge_offers_what_the_pool_allows_and_the_user_has_verified_and_a_code_by_SMS_signs_in()
    {
        var app = await Pool("EMAIL_OTP", "SMS_OTP");
        await User(app, "pia", emailVerified: false, phoneVerified: true);
        var choice = await Start(app, "pia");
        Assert.Equal("SELECT_CHALLENGE", choice.ChallengeName);
        Assert.Equal(["PASSWORD", "PASSWORD_SRP", "SMS_OTP"], choice.AvailableChallenges);

        var sms = await Answer(app, "SELECT_CHALLENGE", choice.Session, new() { ["USERNAME"] = "pia", ["ANSWER"] = "SMS_OTP" });
        Assert.Equal("SMS_OTP", sms.ChallengeName);
        Assert.Equal("SMS", sms.ChallengeParameters!["CODE_DELIVERY_DELIVERY_MEDIUM"]);
        var text = await Sent("+15555550123");
        Assert.Equal("SMS", text.Channel);
        Assert.StartsWith("Shop sign-in code ", text.Body);
        var signedIn = await Answer(app, "SMS_OTP", sms.Session, new() { ["USERNAME"] = "pia", ["SMS_OTP_CODE"] = Code(text.Body) });
        Assert.NotNull(signedIn.AuthenticationResult?.IdToken);

        // Not offered, so not taken: the email is not verified.
        var again = await Start(app, "pia", "EMAIL_OTP");
        Assert.Equal("SELECT_CHALLENGE", again.ChallengeName);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Answer(app, "SELECT_CHALLENGE", again.Session, new() { ["USERNAME"] = "pia", ["ANSWER"] = "EMAIL_OTP" }));
    }

    [Fact]
    public async Task A_pool_that_allows_only_passwords_offers_only_passwords()
    {
        var app = await Pool();
        await User(app, "quinn");
        var choice = await Start(app, "quinn", "EMAIL_OTP");
        Assert.Equal("SELECT_CHALLENGE", choice.ChallengeName);
        Assert.Equal(["PASSWORD", "PASSWORD_SRP"], choice.AvailableChallenges);
    }

    [Fact]
    public async Task The_custom_message_trigger_rewrites_the_code_email_as_CustomMessage_Authentication()
    {
        var app = await Pool("EMAIL_OTP");
        await User(app, "rhea");
        await kit.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = app.PoolId, Trigger = "CustomMessage", Kind = TriggerTargetKinds.Inline,
            Code = """
                   exports.handler = async (event) => {
                     if (event.triggerSource === 'CustomMessage_Authentication') {
                       event.response.emailSubject = 'Your Shop code';
                       event.response.emailMessage = 'Shop says: ' + event.request.codeParameter + ' (' + event.userName + ')';
                     }
                     return event;
                   };
                   """,
        });
        var challenge = await Start(app, "rhea", "EMAIL_OTP");
        var mail = await Sent("rhea@example.com");
        Assert.Equal("Your Shop code", mail.Subject);
        Assert.Matches(@"^Shop says: \d{8} \(rhea\)$", mail.Body);
        var signedIn = await Answer(app, "EMAIL_OTP", challenge.Session, new() { ["USERNAME"] = "rhea", ["EMAIL_OTP_CODE"] = Code(mail.Body) });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
    }
}

/// <summary>A message as the outbox recorded it.</summary>
public sealed record SentMessage(string Channel, string? Subject, string Body);
