using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.ThreatProtection;

namespace Portal.Tests.ThreatProtection;

/// <summary>Adaptive authentication over the wire: risk levels from credential stuffing, new devices, IP ranges and the
/// user's feedback; the configured actions (block, MFA); the notification email through the real SMTP server and its
/// feedback links; UpdateAuthEventFeedback's errors.</summary>
[Collection(ThreatCollection.Name)]
public partial class AdaptiveAuthenticationTests(ThreatServer server)
{
    const string Password = "Adaptive-Passw0rd-9!";
    const string Home = "198.51.100.20";

    static readonly PasswordPolicyType Lax = new() { MinimumLength = 8, RequireLowercase = false, RequireUppercase = false, RequireNumbers = false, RequireSymbols = false };

    static AccountTakeoverActionType Action(string action, bool notify = false) => new() { EventAction = action, Notify = notify };

    static readonly NotifyConfigurationType Notify = new()
    {
        From = "security@portal.local", ReplyTo = "help@portal.local", SourceArn = "arn:aws:ses:us-east-1:000000000000:identity/portal.local",
        NoActionEmail = new()
        {
            Subject = "New sign-in for {username}",
            TextBody = "Hello {username}, a sign-in from {device} at {ip-address} on {login-time}. Mine: {one-click-link-valid} Not mine: {one-click-link-invalid}",
        },
    };

    async Task<(string PoolId, string ClientId)> Pool(string mode, AccountTakeoverActionsType? actions, RiskExceptionConfigurationType? exceptions = null,
        bool notify = false, bool emailOtp = false, string? customAuthMode = null)
    {
        var admin = server.Admin;
        var poolId = (await admin.Send(new CreateUserPoolRequest
        {
            PoolName = Infrastructure.PortalServer.Unique("ata"), UserPoolTier = "PLUS", AutoVerifiedAttributes = ["email"],
            UserPoolAddOns = new UserPoolAddOnsType
            {
                AdvancedSecurityMode = mode,
                AdvancedSecurityAdditionalFlows = customAuthMode is null ? null : new() { CustomAuthMode = customAuthMode },
            },
            Policies = new UserPoolPolicyType
            {
                PasswordPolicy = Lax,
                SignInPolicy = emailOtp ? new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "EMAIL_OTP"] } : null,
            },
        })).UserPool!.Id!;
        var clientId = (await admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app",
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        await admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId,
            AccountTakeoverRiskConfiguration = actions is null ? null : new() { Actions = actions, NotifyConfiguration = notify ? Notify : null },
            RiskExceptionConfiguration = exceptions,
        });
        return (poolId, clientId);
    }

    async Task<string> User(string poolId)
    {
        var username = Infrastructure.PortalServer.Unique("u");
        await server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        await server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = Password, Permanent = true });
        return username;
    }

    static string Device(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes(name));

    Task<InitiateAuthResponse> SignIn(string clientId, string username, string device, string ip = Home, string password = Password) =>
        server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = password },
            UserContextData = new UserContextDataType { IpAddress = ip, EncodedData = device },
        });

    async Task<AuthEventType> LatestSignIn(string poolId, string username) =>
        (await server.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = poolId, Username = username })).AuthEvents!.First(e => e.EventType == "SignIn");

    Task<List<string>> Reasons(string eventId) => server.Db(async db =>
        global::Portal.Server.Auth.AuthEvents.Reasons(await db.AuthEvents.SingleAsync(e => e.EventId == eventId)).ToList());

    static List<string> Codes(IEnumerable<string> reasons) => reasons.Select(r => RiskReason.Parse(r).Code).ToList();

    [GeneratedRegex(@"https?://\S+?value=(Valid|Invalid)")]
    private static partial Regex Link();

    async Task<(string Valid, string Invalid)> Links(string username, int count)
    {
        var mail = await server.Mail.LatestTo($"{username}@example.com", count);
        var links = Link().Matches(mail.TextBody ?? "").Select(m => m.Value).ToList();
        return (links.Single(l => l.EndsWith("value=Valid", StringComparison.Ordinal)), links.Single(l => l.EndsWith("value=Invalid", StringComparison.Ordinal)));
    }

    /// <summary>What the user does with a link: opens it (a page with a button, nothing recorded yet), then presses the button.</summary>
    async Task<string> Click(string link, Func<Task>? beforePress = null)
    {
        using var http = new HttpClient();
        using var page = await http.GetAsync(new Uri(link));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        if (beforePress is not null) await beforePress();
        var uri = new Uri(link);
        using var form = new StringContent(uri.Query.TrimStart('?'), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var pressed = await http.PostAsync(new Uri(uri.GetLeftPart(UriPartial.Path)), form);
        var text = await pressed.Content.ReadAsStringAsync();
        Assert.True(pressed.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    [Fact]
    public async Task Credential_stuffing_from_one_address_raises_the_risk_of_the_next_account_tried()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("NO_ACTION"), MediumAction = Action("NO_ACTION"), HighAction = Action("NO_ACTION") });
        var victims = new List<string>();
        for (var i = 0; i < 4; i++) victims.Add(await User(poolId));
        const string attacker = "203.0.113.66";
        foreach (var victim in victims.Take(3))
            await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, victim, Device("bot"), attacker, password: "Wrong-Passw0rd-1!"));

        // The fourth account's right password, from the same address: let through (NO_ACTION), assessed High.
        Assert.NotNull((await SignIn(clientId, victims[3], Device("bot"), attacker)).AuthenticationResult);
        var risky = await LatestSignIn(poolId, victims[3]);
        Assert.Equal("Pass", risky.EventResponse);
        Assert.Equal("AccountTakeover", risky.EventRisk!.RiskDecision);
        Assert.Equal("High", risky.EventRisk.RiskLevel);
        var reason = Assert.Single(await Reasons(risky.EventId!), r => RiskReason.Parse(r).Code == RiskReason.CredentialStuffing);
        Assert.Contains("3 other accounts came from 203.0.113.66", reason, StringComparison.Ordinal);

        // Another user of the pool signing in from elsewhere is not affected.
        var other = await User(poolId);
        Assert.NotNull((await SignIn(clientId, other, Device("laptop"), "192.0.2.10")).AuthenticationResult);
        var calm = await LatestSignIn(poolId, other);
        Assert.Equal("NoRisk", calm.EventRisk!.RiskDecision);
        Assert.Null(calm.EventRisk.RiskLevel);
    }

    [Fact]
    public async Task A_new_device_under_MFA_REQUIRED_gets_the_email_MFA_challenge_and_the_sign_in_completes_after_it()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("MFA_REQUIRED"), MediumAction = Action("MFA_REQUIRED"), HighAction = Action("BLOCK") },
            emailOtp: true);
        var username = await User(poolId);
        // The first sign-in has nothing to compare with: no risk, no MFA (the pool's MFA is off).
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);

        var mails = server.Mail.CountTo($"{username}@example.com");
        var challenge = await SignIn(clientId, username, Device("stranger-phone"));
        Assert.Null(challenge.AuthenticationResult);
        Assert.Equal("EMAIL_OTP", challenge.ChallengeName);
        var code = await server.Mail.CodeTo($"{username}@example.com", mails + 1);
        var done = await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "EMAIL_OTP", Session = challenge.Session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["EMAIL_OTP_CODE"] = code },
        });
        Assert.NotNull(done.AuthenticationResult?.AccessToken);

        var signIn = await LatestSignIn(poolId, username);
        Assert.Equal("Pass", signIn.EventResponse);
        Assert.Equal("Low", signIn.EventRisk!.RiskLevel);
        Assert.Equal("AccountTakeover", signIn.EventRisk.RiskDecision);
        Assert.Contains(signIn.ChallengeResponses!, c => c is { ChallengeName: "Mfa", ChallengeResponse: "Success" });
        Assert.Equal([RiskReason.NewDevice], Codes(await Reasons(signIn.EventId!)));

        // The device that passed MFA is known now: its next sign-in is not challenged.
        Assert.NotNull((await SignIn(clientId, username, Device("stranger-phone"))).AuthenticationResult);
    }

    [Fact]
    public async Task MFA_REQUIRED_blocks_a_user_without_any_factor_and_MFA_IF_CONFIGURED_lets_them_through()
    {
        // No EMAIL_OTP, no SMS, no authenticator in the pool: the user has no factor.
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("MFA_REQUIRED"), MediumAction = Action("MFA_IF_CONFIGURED") });
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);
        var blocked = await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, Device("other")));
        Assert.Equal(AdaptiveAuthentication.BlockedMessage, blocked.Message);
        var failed = await LatestSignIn(poolId, username);
        Assert.Equal(("Fail", "Block", "Low"), (failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.RiskLevel));
        Assert.Contains(RiskReason.NoMfaFactor, Codes(await Reasons(failed.EventId!)));

        // New device and new network: Medium, MFA_IF_CONFIGURED, no factor: through.
        Assert.NotNull((await SignIn(clientId, username, Device("other"), "192.0.2.77")).AuthenticationResult);
        Assert.Equal("Medium", (await LatestSignIn(poolId, username)).EventRisk!.RiskLevel);
    }

    [Fact]
    public async Task The_notification_email_arrives_and_its_not_mine_link_records_feedback_that_raises_the_next_event()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("NO_ACTION", notify: true), HighAction = Action("NO_ACTION") }, notify: true);
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);
        Assert.Equal(0, server.Mail.CountTo($"{username}@example.com"));

        Assert.NotNull((await SignIn(clientId, username, Device("unknown-tablet"))).AuthenticationResult);
        var risky = await LatestSignIn(poolId, username);
        Assert.Equal("Low", risky.EventRisk!.RiskLevel);
        var mail = await server.Mail.LatestTo($"{username}@example.com");
        Assert.Equal($"New sign-in for {username}", mail.Subject);
        Assert.Equal("security@portal.local", mail.From.Mailboxes.Single().Address);
        Assert.Equal("help@portal.local", mail.ReplyTo.Mailboxes.Single().Address);
        Assert.Contains($"Hello {username}, a sign-in from", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"at {Home} on", mail.TextBody, StringComparison.Ordinal);
        var (_, invalid) = await Links(username, 1);
        Assert.StartsWith(server.BaseUrl + FeedbackEndpoint.Path + "?", invalid, StringComparison.Ordinal);
        Assert.Contains($"event={risky.EventId}", invalid, StringComparison.Ordinal);

        // Opening the link records nothing (mail scanners open links); pressing its button does.
        var answer = await Click(invalid, async () => Assert.Null((await LatestSignIn(poolId, username)).EventFeedback));
        Assert.Contains("recorded as not yours", answer, StringComparison.Ordinal);
        var disowned = await LatestSignIn(poolId, username);
        Assert.Equal(risky.EventId, disowned.EventId);
        Assert.Equal("Invalid", disowned.EventFeedback!.FeedbackValue);
        Assert.Equal("Cognito", disowned.EventFeedback.Provider);

        // The same device again: without the feedback it would be known (no risk); disowned, it is High.
        Assert.NotNull((await SignIn(clientId, username, Device("unknown-tablet"))).AuthenticationResult);
        var next = await LatestSignIn(poolId, username);
        Assert.Equal("High", next.EventRisk!.RiskLevel);
        Assert.Equal([RiskReason.NewDevice, RiskReason.FeedbackInvalid], Codes(await Reasons(next.EventId!)));

        // The token worked once.
        var token = Regex.Match(invalid, "token=([^&]+)").Groups[1].Value;
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new UpdateAuthEventFeedbackRequest
        {
            UserPoolId = poolId, Username = username, EventId = risky.EventId, FeedbackToken = token, FeedbackValue = "Valid",
        }));
    }

    [Fact]
    public async Task Valid_feedback_lowers_the_risk_of_a_similar_later_sign_in()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("NO_ACTION", notify: true) }, notify: true);
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);
        Assert.NotNull((await SignIn(clientId, username, Device("new-phone"))).AuthenticationResult);
        Assert.Equal("Low", (await LatestSignIn(poolId, username)).EventRisk!.RiskLevel);
        var (valid, _) = await Links(username, 1);
        Assert.Contains("recorded as yours", await Click(valid), StringComparison.Ordinal);

        // Another new device on the same network: the user vouched for a sign-in from there.
        Assert.NotNull((await SignIn(clientId, username, Device("new-tablet"))).AuthenticationResult);
        var next = await LatestSignIn(poolId, username);
        Assert.Equal("NoRisk", next.EventRisk!.RiskDecision);
        Assert.Null(next.EventRisk.RiskLevel);
        Assert.Equal([RiskReason.NewDevice, RiskReason.FeedbackValid], Codes(await Reasons(next.EventId!)));
    }

    [Fact]
    public async Task Unknown_used_and_expired_feedback_tokens_answer_Cognitos_errors()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("NO_ACTION", notify: true) }, notify: true);
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);
        Assert.NotNull((await SignIn(clientId, username, Device("new-phone"))).AuthenticationResult);
        var eventId = (await LatestSignIn(poolId, username)).EventId!;
        var (valid, _) = await Links(username, 1);
        var token = Regex.Match(valid, "token=([^&]+)").Groups[1].Value;
        UpdateAuthEventFeedbackRequest Feedback(string id, string t) => new()
        {
            UserPoolId = poolId, Username = username, EventId = id, FeedbackToken = t, FeedbackValue = "Invalid",
        };

        var unknown = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(Feedback(eventId, "not-the-token")));
        Assert.Contains("feedback token is not valid", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => server.Anonymous.Send(Feedback(Guid.NewGuid().ToString(), token)));
        await Assert.ThrowsAsync<UserNotFoundException>(() => server.Anonymous.Send(Feedback(eventId, token) with { Username = "nobody-here" }));

        // Past its lifetime the right token no longer works. (The token is aged in the database rather than the server's
        // clock moved on: this collection's server checks SigV4 dates against its clock, and other tests share it.)
        var expiry = await server.Db(db => db.AuthEvents.Where(e => e.EventId == eventId).Select(e => e.FeedbackTokenExpiresAt).SingleAsync());
        Assert.InRange(expiry!.Value - server.Clock.GetUtcNow(), RiskNotifications.TokenLifetime - TimeSpan.FromMinutes(5), RiskNotifications.TokenLifetime);
        var past = server.Clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        await server.Db(db => db.AuthEvents.Where(e => e.EventId == eventId).ExecuteUpdateAsync(u => u.SetProperty(e => e.FeedbackTokenExpiresAt, past)));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(Feedback(eventId, token)));
        Assert.Null((await LatestSignIn(poolId, username)).EventFeedback);
        // The page of an expired link says so, as a page.
        using var http = new HttpClient();
        var uri = new Uri(valid);
        using var form = new StringContent(uri.Query.TrimStart('?'), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var pressed = await http.PostAsync(new Uri(uri.GetLeftPart(UriPartial.Path)), form);
        Assert.Equal(HttpStatusCode.BadRequest, pressed.StatusCode);
        Assert.Contains("already been used or has expired", await pressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUDIT_records_the_risk_without_acting_and_without_mail()
    {
        var (poolId, clientId) = await Pool("AUDIT", new() { LowAction = Action("BLOCK", notify: true), HighAction = Action("BLOCK", notify: true) },
            new() { BlockedIPRangeList = ["203.0.113.0/24"] }, notify: true);
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);
        Assert.NotNull((await SignIn(clientId, username, Device("other"))).AuthenticationResult);
        var low = await LatestSignIn(poolId, username);
        Assert.Equal(("Pass", "AccountTakeover", "Low"), (low.EventResponse, low.EventRisk!.RiskDecision, low.EventRisk.RiskLevel));
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"), "203.0.113.9")).AuthenticationResult);
        var blockedRange = await LatestSignIn(poolId, username);
        Assert.Equal(("Pass", "High"), (blockedRange.EventResponse, blockedRange.EventRisk!.RiskLevel));
        Assert.Contains(await Reasons(blockedRange.EventId!), r => r.StartsWith(RiskReason.BlockedRange + ":", StringComparison.Ordinal) && r.Contains("audit mode", StringComparison.Ordinal));
        Assert.Equal(0, server.Mail.CountTo($"{username}@example.com"));
    }

    [Fact]
    public async Task A_blocked_range_blocks_and_a_skipped_range_is_not_assessed()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("BLOCK"), MediumAction = Action("BLOCK"), HighAction = Action("BLOCK") },
            new() { BlockedIPRangeList = ["203.0.113.0/24"], SkippedIPRangeList = ["10.20.0.0/16"] });
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);

        var blocked = await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, Device("laptop"), "203.0.113.200"));
        Assert.Equal("Unable to login because of security reasons.", blocked.Message);
        var failed = await LatestSignIn(poolId, username);
        Assert.Equal(("Fail", "Block", "High"), (failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.RiskLevel));
        Assert.Equal([RiskReason.BlockedRange], Codes(await Reasons(failed.EventId!)));

        // From a skipped range a new device on a new network is not assessed (it would be Medium, and blocked).
        Assert.NotNull((await SignIn(clientId, username, Device("someone-else"), "10.20.3.4")).AuthenticationResult);
        var skipped = await LatestSignIn(poolId, username);
        Assert.Equal("NoRisk", skipped.EventRisk!.RiskDecision);
        Assert.Null(skipped.EventRisk.RiskLevel);
        Assert.Equal([RiskReason.SkippedRange], Codes(await Reasons(skipped.EventId!)));
        // Elsewhere the same is blocked.
        await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, Device("someone-else"), "192.0.2.99"));
    }

    [Fact]
    public async Task Malformed_UserContextData_is_ignored_and_said_so_never_a_server_error()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("NO_ACTION") });
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, "%%% not base64 %%%")).AuthenticationResult);
        Assert.Contains(RiskReason.ContextDataUnreadable, Codes(await Reasons((await LatestSignIn(poolId, username)).EventId!)));
        // Base64 of something that is not the SDKs' JSON: an opaque device identifier.
        Assert.NotNull((await SignIn(clientId, username, Convert.ToBase64String("{\"payload\": 12, garbage"u8.ToArray()))).AuthenticationResult);
        Assert.NotNull((await SignIn(clientId, username, Convert.ToBase64String("{\"payload\": \"{not json\"}"u8.ToArray()))).AuthenticationResult);
        // The SDKs' encoding: the DeviceId identifies the device.
        var sdk = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"payload\":\"{\\\"contextData\\\":{\\\"DeviceId\\\":\\\"dev-1\\\",\\\"UserAgent\\\":\\\"x\\\"},\\\"username\\\":\\\"u\\\"}\",\"signature\":\"s\",\"version\":\"JS20171115\"}"));
        Assert.NotNull((await SignIn(clientId, username, sdk)).AuthenticationResult);
        Assert.Contains(RiskReason.NewDevice, Codes(await Reasons((await LatestSignIn(poolId, username)).EventId!)));
        Assert.NotNull((await SignIn(clientId, username, sdk)).AuthenticationResult);
        Assert.Equal("NoRisk", (await LatestSignIn(poolId, username)).EventRisk!.RiskDecision);
    }
}
