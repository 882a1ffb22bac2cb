using System.Text.RegularExpressions;
using Portal.Client.Contract;
using Portal.Server.ThreatProtection;

namespace Portal.Tests.ThreatProtection;

/// <summary>Every sign-in gets a risk, not only password ones: CUSTOM_AUTH (under the pool's CustomAuthMode, as in
/// Cognito) and USER_AUTH's one-time codes are assessed when they complete; a blocked range blocks them; an MFA action
/// lets them through, since they have no MFA step, and says so in the event's reasons.</summary>
public partial class AdaptiveAuthenticationTests
{
    const string Blocked = "203.0.113.77";

    const string DefineOneRound = """
        exports.handler = async (event) => {
          const session = event.request.session;
          event.response.issueTokens = session.length > 0 && session[session.length - 1].challengeResult === true;
          event.response.failAuthentication = session.length > 0 && !event.response.issueTokens;
          if (session.length === 0) event.response.challengeName = "CUSTOM_CHALLENGE";
          return event;
        };
        """;

    const string CreateQuestion = """
        exports.handler = async (event) => {
          event.response.publicChallengeParameters = { question: "6 x 7?" };
          event.response.privateChallengeParameters = { answer: "42" };
          return event;
        };
        """;

    const string VerifyAnswer = """
        exports.handler = async (event) => {
          event.response.answerCorrect = event.request.privateChallengeParameters.answer === event.request.challengeAnswer;
          return event;
        };
        """;

    /// <summary>SRP's PASSWORD_VERIFIER first (when the flow starts with SRP_A), then one question.</summary>
    const string DefinePasswordThenQuestion = """
        exports.handler = async (event) => {
          const session = event.request.session;
          const last = session[session.length - 1];
          event.response.issueTokens = false;
          event.response.failAuthentication = false;
          if (session.length === 1 && last.challengeName === "SRP_A") event.response.challengeName = "PASSWORD_VERIFIER";
          else if (last.challengeName === "PASSWORD_VERIFIER" && last.challengeResult) event.response.challengeName = "CUSTOM_CHALLENGE";
          else if (last.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult) event.response.issueTokens = true;
          else event.response.failAuthentication = true;
          return event;
        };
        """;

    async Task CustomTriggers(string poolId, string define = DefineOneRound)
    {
        foreach (var (trigger, code) in new[] { ("DefineAuthChallenge", define), ("CreateAuthChallenge", CreateQuestion), ("VerifyAuthChallengeResponse", VerifyAnswer) })
            await server.Admin.Send(new PutTriggerFunctionRequest { UserPoolId = poolId, Trigger = trigger, Kind = TriggerTargetKinds.Inline, Code = code });
    }

    /// <summary>CUSTOM_AUTH from this address and device: the question, then the right answer.</summary>
    async Task<RespondToAuthChallengeResponse> CustomSignIn(string clientId, string username, string device, string ip)
    {
        var context = new UserContextDataType { IpAddress = ip, EncodedData = device };
        var start = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "CUSTOM_AUTH", AuthParameters = new() { ["USERNAME"] = username }, UserContextData = context,
        });
        Assert.Equal("CUSTOM_CHALLENGE", start.ChallengeName);
        return await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = start.Session, UserContextData = context,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "42" },
        });
    }

    [GeneratedRegex(@"\b(\d{8})\b")]
    private static partial Regex SignInCode();

    /// <summary>USER_AUTH with EMAIL_OTP from this address and device: the code mailed, then answered.</summary>
    async Task<RespondToAuthChallengeResponse> CodeSignIn(string clientId, string username, string device, string ip)
    {
        var context = new UserContextDataType { IpAddress = ip, EncodedData = device };
        var mails = server.Mail.CountTo($"{username}@example.com");
        var start = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" },
            UserContextData = context,
        });
        Assert.Equal("EMAIL_OTP", start.ChallengeName);
        var mail = await server.Mail.LatestTo($"{username}@example.com", mails + 1);
        var code = SignInCode().Match(mail.TextBody ?? mail.HtmlBody ?? "").Groups[1].Value;
        return await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "EMAIL_OTP", Session = start.Session, UserContextData = context,
            ChallengeResponses = new() { ["USERNAME"] = username, ["EMAIL_OTP_CODE"] = code },
        });
    }

    [Fact]
    public async Task Custom_auth_is_assessed_under_CustomAuthMode_and_a_blocked_range_blocks_it()
    {
        var actions = new AccountTakeoverActionsType { LowAction = Action("NO_ACTION"), MediumAction = Action("NO_ACTION"), HighAction = Action("BLOCK") };
        var ranges = new RiskExceptionConfigurationType { BlockedIPRangeList = ["203.0.113.0/24"] };
        var (poolId, clientId) = await Pool("ENFORCED", actions, ranges, customAuthMode: "ENFORCED");
        await CustomTriggers(poolId);
        var username = await User(poolId);

        Assert.NotNull((await CustomSignIn(clientId, username, Device("laptop"), Home)).AuthenticationResult?.AccessToken);
        var passed = await LatestSignIn(poolId, username);
        Assert.Equal(("Pass", "NoRisk"), (passed.EventResponse, passed.EventRisk!.RiskDecision));

        var blocked = await Assert.ThrowsAsync<NotAuthorizedException>(() => CustomSignIn(clientId, username, Device("laptop"), Blocked));
        Assert.Equal(AdaptiveAuthentication.BlockedMessage, blocked.Message);
        var failed = await LatestSignIn(poolId, username);
        Assert.Equal(("Fail", "Block", "High"), (failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.RiskLevel));
        Assert.Equal([RiskReason.BlockedRange], Codes(await Reasons(failed.EventId!)));

        // Without CustomAuthMode custom authentication is outside threat protection, as in Cognito: the range does not apply.
        var (plainPool, plainClient) = await Pool("ENFORCED", actions, ranges);
        await CustomTriggers(plainPool);
        var other = await User(plainPool);
        Assert.NotNull((await CustomSignIn(plainClient, other, Device("laptop"), Blocked)).AuthenticationResult?.AccessToken);
        var unassessed = await LatestSignIn(plainPool, other);
        Assert.Equal(("Pass", "NoRisk"), (unassessed.EventResponse, unassessed.EventRisk!.RiskDecision));
        Assert.Empty(await Reasons(unassessed.EventId!));
    }

    [Fact]
    public async Task Custom_auth_that_proves_the_password_by_SRP_first_is_assessed_when_it_completes_and_blocked_from_a_blocked_range()
    {
        var (poolId, clientId) = await Pool("ENFORCED", new() { LowAction = Action("NO_ACTION"), MediumAction = Action("NO_ACTION"), HighAction = Action("BLOCK") },
            new() { BlockedIPRangeList = ["203.0.113.0/24"] }, customAuthMode: "ENFORCED");
        await CustomTriggers(poolId, DefinePasswordThenQuestion);
        var username = await User(poolId);
        var context = new UserContextDataType { IpAddress = Blocked, EncodedData = Device("laptop") };
        var srp = new global::Portal.Tests.Auth.SrpClient(poolId);
        var verifier = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "CUSTOM_AUTH", UserContextData = context,
            AuthParameters = new() { ["USERNAME"] = username, ["SRP_A"] = srp.SrpA, ["CHALLENGE_NAME"] = "SRP_A" },
        });
        Assert.Equal("PASSWORD_VERIFIER", verifier.ChallengeName);
        var question = await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "PASSWORD_VERIFIER", Session = verifier.Session, UserContextData = context,
            ChallengeResponses = srp.Answer(verifier.ChallengeParameters!, Password, DateTimeOffset.UtcNow),
        });
        Assert.Equal("CUSTOM_CHALLENGE", question.ChallengeName);
        var blocked = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = question.Session, UserContextData = context,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "42" },
        }));
        Assert.Equal(AdaptiveAuthentication.BlockedMessage, blocked.Message);
        var events = (await server.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = poolId, Username = username })).AuthEvents!;
        var failed = Assert.Single(events, e => e.EventType == "SignIn");
        Assert.Equal(("Fail", "Block", "High"), (failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.RiskLevel));
        Assert.Equal([RiskReason.BlockedRange], Codes(await Reasons(failed.EventId!)));
    }

    [Fact]
    public async Task An_email_code_sign_in_is_blocked_from_a_blocked_range_and_an_MFA_action_lets_it_through_saying_why()
    {
        var (poolId, clientId) = await Pool("ENFORCED",
            new() { LowAction = Action("MFA_REQUIRED"), MediumAction = Action("MFA_REQUIRED"), HighAction = Action("BLOCK") },
            new() { BlockedIPRangeList = ["203.0.113.0/24"] }, emailOtp: true);
        var username = await User(poolId);
        Assert.NotNull((await SignIn(clientId, username, Device("laptop"))).AuthenticationResult);

        // A device never seen: Low risk, whose MFA_REQUIRED a code sign-in cannot ask; it passes and the event says why.
        Assert.NotNull((await CodeSignIn(clientId, username, Device("tablet"), Home)).AuthenticationResult?.AccessToken);
        var risky = await LatestSignIn(poolId, username);
        Assert.Equal(("Pass", "AccountTakeover", "Low"), (risky.EventResponse, risky.EventRisk!.RiskDecision, risky.EventRisk.RiskLevel));
        Assert.Equal([RiskReason.NewDevice, RiskReason.MfaNotAsked], Codes(await Reasons(risky.EventId!)));

        var blocked = await Assert.ThrowsAsync<NotAuthorizedException>(() => CodeSignIn(clientId, username, Device("laptop"), Blocked));
        Assert.Equal(AdaptiveAuthentication.BlockedMessage, blocked.Message);
        var failed = await LatestSignIn(poolId, username);
        Assert.Equal(("Fail", "Block", "High"), (failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.RiskLevel));
        Assert.Equal([RiskReason.BlockedRange], Codes(await Reasons(failed.EventId!)));
        Assert.Empty(failed.ChallengeResponses ?? []);
    }
}
