using Portal.Client.Contract;
using Portal.Server.SelfService;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>Cognito's challenge names, as the protocol spells them.</summary>
public static class ChallengeName
{
    public const string PasswordVerifier = "PASSWORD_VERIFIER";
    public const string NewPasswordRequired = "NEW_PASSWORD_REQUIRED";
    public const string SelectChallenge = "SELECT_CHALLENGE";
    public const string Password = "PASSWORD";
    public const string PasswordSrp = "PASSWORD_SRP";
    public const string EmailOtp = "EMAIL_OTP";
    public const string SmsOtp = "SMS_OTP";
    public const string SmsMfa = "SMS_MFA";
    public const string SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA";
    public const string SelectMfaType = "SELECT_MFA_TYPE";
    public const string MfaSetup = "MFA_SETUP";
    public const string CustomChallenge = "CUSTOM_CHALLENGE";
}

/// <summary>Cognito's auth flows, as the protocol spells them.</summary>
public static class AuthFlow
{
    public const string UserSrpAuth = "USER_SRP_AUTH";
    public const string UserPasswordAuth = "USER_PASSWORD_AUTH";
    public const string AdminUserPasswordAuth = "ADMIN_USER_PASSWORD_AUTH";
    public const string AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH";
    public const string RefreshTokenAuth = "REFRESH_TOKEN_AUTH";
    public const string RefreshToken = "REFRESH_TOKEN";
    public const string CustomAuth = "CUSTOM_AUTH";
    public const string UserAuth = "USER_AUTH";
}

/// <summary>The sign-in engine's error messages that callers (the hosted pages) tell apart.</summary>
public static class SignInErrors
{
    public const string IncorrectPassword = NotAuthorizedException.IncorrectPasswordMessage;
    public const string AttemptsExceeded = "Password attempts exceeded";
    public const string UserDisabled = NotAuthorizedException.UserDisabledMessage;
    public const string InvalidSession = NotAuthorizedException.InvalidSessionMessage;
    public const string SessionExpired = "Invalid session for the user, session is expired.";
    public const string UnauthorizedAttribute = "A client attempted to write unauthorized attribute";
}

/// <summary>One step of a sign-in: a challenge to answer (with its Session) or the tokens.</summary>
public sealed record AuthStep(
    string? ChallengeName, string? Session, Dictionary<string, string> ChallengeParameters, AuthenticationResultType? AuthenticationResult)
{
    /// <summary>USER_AUTH's SELECT_CHALLENGE: the factors the user may choose from.</summary>
    public List<string>? AvailableChallenges { get; init; }

    /// <summary>For the hosted UI (which issues an authorization code, not tokens): the user who signed in, and when.</summary>
    public UserRow? SignedIn { get; init; }
    public DateTimeOffset AuthTime { get; init; }

    /// <summary>For the hosted UI: the browser remembered as a device by this sign-in (its cookie's value).</summary>
    public string? BrowserDevice { get; init; }
}

/// <summary>
/// One call into the sign-in engine: who calls (client and pool), through which door (the API, an admin API, or the
/// hosted UI), and the caller's ClientMetadata for the triggers. Passed to every step instead of mutable fields.
/// </summary>
/// <param name="Hosted">The pool's own hosted UI: it is Portal itself, so it needs no SECRET_HASH and no ExplicitAuthFlows
/// entry for password sign-in (as Cognito's managed login), never tells who has an account, and ends with the user
/// rather than tokens (the authorization code is issued by the OAuth endpoints).</param>
public sealed record SignInContext(CallingClient Caller, bool Admin, IReadOnlyDictionary<string, string>? Metadata, bool Hosted = false)
{
    public UserPoolStore.Pool Pool => Caller.Pool;
    public AppClientStore.Client Client => Caller.Client;
    public string ClientId => Caller.Client.Row.ClientId;

    /// <summary>With ENABLED (and always in the hosted UI), unknown users get the answers known ones get.</summary>
    public bool PreventsUserExistenceErrors => Hosted || Caller.PreventsUserExistenceErrors;

    public void CheckSecretHash(string? secretHash, params string?[] usernames)
    {
        if (!Hosted) Caller.CheckSecretHash(secretHash, usernames);
    }

    public void CheckWriteAttributes(IEnumerable<string> names) => Caller.CheckWriteAttributes(names);

    /// <summary>The client's AuthSessionValidity: how long a challenge's session lives (3 minutes by default).</summary>
    public int SessionMinutes => Client.Settings.AuthSessionValidity ?? 3;

    /// <summary>The DEVICE_KEY the client names (a device the pool tracks, see <see cref="Devices"/>), and whether this
    /// sign-in has proven it with device SRP.</summary>
    public string? DeviceKey { get; init; }
    public bool DeviceProven { get; init; }

    /// <summary>The hosted UI only: the secret of the browser's device cookie, and the user's "remember this device".</summary>
    public string? BrowserSecret { get; init; }
    public bool RememberBrowser { get; init; }

    /// <summary>With the hosted UI's device parameters (never from the API: there they are ignored).</summary>
    public SignInContext Browser(IReadOnlyDictionary<string, string> p) => !Hosted ? this : this with
    {
        BrowserSecret = p.GetValueOrDefault("BROWSER_SECRET"),
        RememberBrowser = p.GetValueOrDefault("REMEMBER_DEVICE") == "true",
    };

    static readonly string[] DefaultFlows = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

    /// <summary>Only the flows the client's ExplicitAuthFlows allow; legacy lists (without ALLOW_) always allowed SRP and refresh.
    /// The hosted UI's password form is the pool's own sign-in page and needs no entry.</summary>
    public void RequireFlow(string flow)
    {
        if (Hosted && flow == AuthFlow.UserPasswordAuth) return;
        var flows = Client.Settings.ExplicitAuthFlows is { Count: > 0 } f ? f : DefaultFlows.ToList();
        var legacy = !flows.Any(x => x.StartsWith("ALLOW_", StringComparison.Ordinal));
        var allowed = flow switch
        {
            AuthFlow.UserSrpAuth => flows.Contains("ALLOW_USER_SRP_AUTH") || (legacy && !flows.Contains("CUSTOM_AUTH_FLOW_ONLY")),
            AuthFlow.RefreshTokenAuth => flows.Contains("ALLOW_REFRESH_TOKEN_AUTH") || legacy,
            AuthFlow.UserPasswordAuth => flows.Contains("ALLOW_USER_PASSWORD_AUTH") || flows.Contains("USER_PASSWORD_AUTH"),
            AuthFlow.AdminUserPasswordAuth or AuthFlow.AdminNoSrpAuth => flows.Contains("ALLOW_ADMIN_USER_PASSWORD_AUTH") || flows.Contains("ADMIN_NO_SRP_AUTH"),
            AuthFlow.CustomAuth => flows.Contains("ALLOW_CUSTOM_AUTH") || flows.Contains("CUSTOM_AUTH_FLOW_ONLY"),
            AuthFlow.UserAuth => flows.Contains("ALLOW_USER_AUTH"),
            _ => false,
        };
        if (allowed) return;
        throw new InvalidParameterException(flow switch
        {
            AuthFlow.UserPasswordAuth => "USER_PASSWORD_AUTH flow not enabled for this client",
            AuthFlow.UserSrpAuth => "USER_SRP_AUTH is not enabled for the client.",
            _ => "Auth flow not enabled for this client",
        });
    }
}

/// <summary>An auth flow InitiateAuth / AdminInitiateAuth starts (USER_SRP_AUTH, USER_PASSWORD_AUTH, ...).</summary>
public interface IAuthFlow
{
    IReadOnlyCollection<string> Flows { get; }
    Task<AuthStep> Start(SignInContext ctx, string flow, IReadOnlyDictionary<string, string> p, CancellationToken ct);
}

/// <summary>The answer to a challenge RespondToAuthChallenge / AdminRespondToAuthChallenge gets.</summary>
public interface IChallengeResponder
{
    IReadOnlyCollection<string> Challenges { get; }
    Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct);
}

/// <summary>Small helpers every step shares.</summary>
static class Steps
{
    public static AuthStep Challenge(string name, string? session, Dictionary<string, string> parameters) => new(name, session, parameters, null);

    public static string Required(IReadOnlyDictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : throw new InvalidParameterException($"Missing required parameter {name}");
}

/// <summary>How the user proved who they are, for the sign-in's auth event.</summary>
public enum SignInKind { Password, NewPassword, Custom, Code }
