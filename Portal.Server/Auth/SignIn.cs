using Portal.Client.Contract;
using Portal.Server.SelfService;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>
/// The one sign-in engine, shared by InitiateAuth / AdminInitiateAuth, RespondToAuthChallenge / AdminRespondToAuthChallenge
/// and the hosted UI's pages. A registry: each auth flow (<see cref="IAuthFlow"/>: USER_SRP_AUTH, USER_PASSWORD_AUTH,
/// ADMIN_USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, CUSTOM_AUTH, USER_AUTH) and each challenge's answer
/// (<see cref="IChallengeResponder"/>: PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP,
/// SELECT_MFA_TYPE, MFA_SETUP, SELECT_CHALLENGE, SMS_OTP, CUSTOM_CHALLENGE, ...) is one small class; the steps they share
/// (the password check, SRP, second factor, codes, completion) are services; every call carries a
/// <see cref="SignInContext"/>. Sessions live in <see cref="AuthSessions"/>, failures in <see cref="SignInLockout"/>.
/// </summary>
public sealed class SignIn(UserPoolStore pools, AppClientStore clients, AuthSessions sessions, IEnumerable<IAuthFlow> flows,
    IEnumerable<IChallengeResponder> responders, MfaSetupResponder setup, Devices devices)
{
    /// <summary>As Cognito documents: clients with refresh token rotation refresh only with GetTokensFromRefreshToken.</summary>
    public const string RotatingClientRefresh = RefreshFlow.RotatingClientRefresh;

    /// <summary>Wrong codes one MFA session takes before it ends (the lockout bounds the user's guesses across sessions).</summary>
    public const int MfaCodesPerSession = MfaCodeResponder.CodesPerSession;

    /// <param name="hosted">The pool's hosted UI signs in (see <see cref="SignInContext.Hosted"/>).</param>
    public async Task<AuthStep> Initiate(string? userPoolId, string? clientId, string flow, Dictionary<string, string>? authParameters,
        bool admin, CancellationToken ct, Dictionary<string, string>? metadata = null, bool hosted = false)
    {
        var p = Parameters(authParameters);
        var ctx = new SignInContext(await Caller(userPoolId, clientId, admin, ct), admin, metadata, hosted) { DeviceKey = p.GetValueOrDefault("DEVICE_KEY") }.Browser(p);
        var handler = flows.FirstOrDefault(f => f.Flows.Contains(flow)) ?? throw InvalidParameterException.AuthFlowNotSupported();
        return await handler.Start(ctx, flow, p, ct);
    }

    public async Task<AuthStep> Respond(string? userPoolId, string? clientId, string challengeName, string? session,
        Dictionary<string, string>? challengeResponses, bool admin, CancellationToken ct, Dictionary<string, string>? metadata = null, bool hosted = false)
    {
        var r = Parameters(challengeResponses);
        var ctx = new SignInContext(await Caller(userPoolId, clientId, admin, ct), admin, metadata, hosted) { DeviceKey = r.GetValueOrDefault("DEVICE_KEY") }.Browser(r);
        // A forgotten device's key: Cognito's error, on which clients answer again without it (the session still stands).
        if (ctx.DeviceKey is { } deviceKey && !DeviceStep.Challenges.Contains(challengeName) && !await devices.Exists(ctx.Pool.Row.Id, deviceKey, ct))
            throw Devices.NotFound();
        // EMAIL_OTP answers both an email MFA session and a passwordless one: the session tells which.
        var key = challengeName switch
        {
            SecondFactorStep.MfaEmailSession => "",
            ChallengeName.EmailOtp when await sessions.ChallengeOf(session, ct) == SecondFactorStep.MfaEmailSession => SecondFactorStep.MfaEmailSession,
            _ => challengeName,
        };
        // Any other challenge would have been issued with a session of its own; there is none to answer.
        var responder = responders.FirstOrDefault(x => x.Challenges.Contains(key)) ?? throw NotAuthorizedException.InvalidSession();
        return await responder.Respond(ctx, key, session, r, ct);
    }

    /// <summary>AssociateSoftwareToken with an MFA_SETUP session: a new secret for the user to add to their authenticator.</summary>
    public Task<(string SecretCode, string Session)> AssociateInSetup(string? session, CancellationToken ct) => setup.Associate(session, ct);

    /// <summary>VerifySoftwareToken with an MFA_SETUP session; the next session answers MFA_SETUP.</summary>
    public Task<string> VerifyInSetup(string? session, string? code, string? deviceName, CancellationToken ct) =>
        setup.Verify(session, code, deviceName, ct);

    async Task<CallingClient> Caller(string? userPoolId, string? clientId, bool admin, CancellationToken ct)
    {
        if (!admin) return await CallingClient.Resolve(clients, pools, clientId, ct);
        var pool = await pools.Cached(userPoolId, ct);
        return new CallingClient(await clients.Cached(pool.Row.Id, clientId, ct), pool);
    }

    /// <summary>The parameters without null values (clients send e.g. DEVICE_KEY: null).</summary>
    static Dictionary<string, string> Parameters(Dictionary<string, string>? values) =>
        (values ?? []).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
}
