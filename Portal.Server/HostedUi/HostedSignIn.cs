using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.HostedUi.Operations;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>
/// The hosted pages' side of sign-in. It has no sign-in logic of its own: the password, codes, MFA, lockout, triggers,
/// auth events and sessions are the one engine's (<see cref="SignIn"/>, reached through the dispatcher as
/// <see cref="HostedAuthRequest"/>), exactly as an app's InitiateAuth / RespondToAuthChallenge. This class maps the
/// engine's challenges to pages (new password, MFA code, MFA choice, authenticator setup) and its errors to the page's words.
/// </summary>
public sealed class HostedSignIn(Dispatcher engine, PortalDb db, UserStore users, AuthSessions sessions, IDataProtectionProvider protection)
{
    public enum Outcome { Signed, NotConfirmed, NewPasswordRequired, ResetRequired, Failed, Mfa }

    public sealed record Result(Outcome Kind, UserRow? User = null, string? Message = null, string? Session = null, string? Field = null,
        MfaPrompt? Prompt = null)
    {
        /// <summary>When the user proved who they are (for the authorization code's auth_time).</summary>
        public DateTimeOffset AuthTime { get; init; }
        /// <summary>The browser this sign-in remembered as a device: the cookie to set.</summary>
        public string? BrowserDevice { get; init; }
        /// <summary>The new-password page's required attributes the user has no value for yet.</summary>
        public IReadOnlyList<string> RequiredAttributes { get; init; } = [];
        /// <summary>What the page carries to its next post (protected): the challenge it answers and how to show it again.</summary>
        public string? State { get; init; }
        /// <summary>The message as a key of <see cref="Texts"/>, when it is the page's own words (not a trigger's or the policy's).</summary>
        public string? Key { get; init; }

        /// <summary>The message in the page's language (an engine message when it is one of the known ones).</summary>
        public string? Say(Texts texts) => Key is not null ? texts[Key] : Message is null ? null : EngineMessages.Say(Message, texts);
    }

    /// <summary>What the MFA page asks: a choice of factor, a code (from the authenticator, or sent to Destination), or the
    /// setup of an authenticator (its secret, for the QR code and to type in).</summary>
    public sealed record MfaPrompt(string? Factor, IReadOnlyList<string> Choices, string? Destination, string? SecretCode, string Username)
    {
        public bool Setup => SecretCode is not null;
        /// <summary>A one-time code instead of the password (EMAIL_OTP / SMS_OTP first factors), not a second factor.</summary>
        public bool Passwordless { get; init; }
    }

    /// <summary>The page state between posts: the engine's challenge, the user's name, and what the page shows.</summary>
    sealed record PageState(string Challenge, string Username, MfaPrompt? Prompt, List<string>? Required);

    // The page's words for the engine's answers (keys of Texts).
    const string WrongPassword = "SignInWrongPassword", TooManyFailures = "SignInLocked", Disabled = "SignInDisabled", NoCode = "SignInNoCode",
        TooLong = "SignInTooLong", NewPasswordTooLong = "NewPasswordTooLong", CodeExpired = "MfaCodeExpired", TooManyCodes = "MfaTooManyCodes",
        NoMfaFactor = "MfaNoFactor", NotWritable = "AttributeNotWritable", WrongCode = "MfaWrongCode", ChooseFactor = "MfaChooseFactor";

    /// <summary>A refusal in the page's words (<paramref name="key"/> of <see cref="Texts"/>); Message is its English.</summary>
    static Result Fail(string key) => new(Outcome.Failed, Message: Texts.English(key)) { Key = key };

    IDataProtector Protector => protection.CreateProtector("Portal.HostedUi.SignInPage");

    /// <summary>The passwordless factors the login page offers: those the pool's sign-in policy allows, for a client that
    /// may use choice-based sign-in (ALLOW_USER_AUTH), as Cognito's managed login does.</summary>
    public static IReadOnlyList<string> CodeFactors(UserPoolStore.Pool pool, AppClientStore.Client? client)
    {
        if (client?.Settings.ExplicitAuthFlows?.Contains("ALLOW_USER_AUTH") != true) return [];
        var allowed = pool.Settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
        return new[] { ChallengeName.EmailOtp, ChallengeName.SmsOtp }.Where(allowed.Contains).ToList();
    }

    // ---- the login page ----

    /// <summary>Passwordless sign-in from the login page (USER_AUTH with the code as the preferred first factor). An account
    /// that cannot get one (unknown, not confirmed, disabled, no verified address) gets the same answer whichever it is.</summary>
    public async Task<Result> WithCode(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string factor, CancellationToken ct)
    {
        if (!CodeFactors(pool, client).Contains(factor)) return Fail(NoCode);
        try
        {
            var step = await Send(client, HostedAuthAction.Initiate, ct, flow: AuthFlow.UserAuth,
                parameters: new() { ["USERNAME"] = username, ["PREFERRED_CHALLENGE"] = factor });
            if (step.ChallengeName != factor) return Fail(NoCode);
            return await Page(pool, client, step, username, ct, passwordless: true);
        }
        catch (NotAuthorizedException e) when (e.Message == SignInErrors.AttemptsExceeded)
        {
            return Fail(TooManyFailures);
        }
        catch (UserLambdaValidationException e)
        {
            return new(Outcome.Failed, Message: e.Message);
        }
        catch (CognitoException)
        {
            return Fail(NoCode);
        }
    }

    public async Task<Result> WithPassword(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string password, CancellationToken ct,
        Dictionary<string, string>? device = null)
    {
        try
        {
            var step = await Send(client, HostedAuthAction.Initiate, ct, flow: AuthFlow.UserPasswordAuth,
                parameters: new(device ?? []) { ["USERNAME"] = username, ["PASSWORD"] = password });
            return await Page(pool, client, step, username, ct);
        }
        catch (UserNotConfirmedException)
        {
            return new(Outcome.NotConfirmed, await users.Find(pool, username, ct));
        }
        catch (PasswordResetRequiredException)
        {
            return new(Outcome.ResetRequired, await users.Find(pool, username, ct));
        }
        catch (CognitoException e)
        {
            return Failed(e);
        }
    }

    // ---- the new password page ----

    /// <summary>Required attributes the user of a new-password page has no value for yet.</summary>
    public IReadOnlyList<string> MissingAttributes(string? state) => Read(state, ChallengeName.NewPasswordRequired)?.Required ?? [];

    /// <summary>The new password (and the required attributes the page asked for), as NEW_PASSWORD_REQUIRED's answer: only
    /// attributes the app client may write, and a new address is not a verified one.</summary>
    public async Task<Result> CompleteNewPassword(UserPoolStore.Pool pool, AppClientStore.Client client, string session, string? state, string password,
        IReadOnlyDictionary<string, string> attributes, CancellationToken ct)
    {
        var page = Read(state, ChallengeName.NewPasswordRequired);
        if (page is null) return Fail(NewPasswordTooLong);
        var again = new Result(Outcome.Failed, Session: session) { State = state, RequiredAttributes = page.Required ?? [] };
        var answer = new Dictionary<string, string> { ["USERNAME"] = page.Username, ["NEW_PASSWORD"] = password };
        foreach (var (name, value) in attributes.Where(a => a.Value.Length > 0)) answer["userAttributes." + name] = value;
        try
        {
            var step = await Send(client, HostedAuthAction.Respond, ct, challenge: ChallengeName.NewPasswordRequired, session: session, parameters: answer);
            return await Page(pool, client, step, page.Username, ct);
        }
        catch (InvalidPasswordException e)
        {
            return again with { Message = e.Message.Replace("Password did not conform with policy: ", ""), Field = "password" };
        }
        catch (InvalidParameterException e)
        {
            return again with { Message = e.Message, Field = AttributeOf(e) is { } named && attributes.ContainsKey(named) ? named : "password" };
        }
        catch (NotAuthorizedException e) when (e.Message == SignInErrors.UnauthorizedAttribute)
        {
            return again with { Message = Texts.English(NotWritable), Key = NotWritable, Field = attributes.Keys.FirstOrDefault(k => attributes[k].Length > 0) ?? "password" };
        }
        catch (NotAuthorizedException e) when (e.Message is SignInErrors.InvalidSession or SignInErrors.SessionExpired)
        {
            return Fail(NewPasswordTooLong);
        }
        catch (CognitoException e)
        {
            return Failed(e);
        }
    }

    /// <summary>The user attribute an error names (its member <c>userAttributes.{name}</c>), read from the member, never the message.</summary>
    static string? AttributeOf(InvalidParameterException e) =>
        e.Member is { } member && member.StartsWith("userAttributes.", StringComparison.Ordinal) ? member["userAttributes.".Length..] : null;

    // ---- the MFA page ----

    /// <summary>The MFA page's answer: a factor chosen, or a code. A wrong code may be tried again on the same page (and
    /// counts toward the lockout); the right one signs the user in.</summary>
    public async Task<Result> AnswerMfa(UserPoolStore.Pool pool, AppClientStore.Client client, string session, string? state, string? choice,
        string code, string? deviceName, CancellationToken ct, bool rememberDevice = false)
    {
        var page = Read(state, null);
        if (page?.Prompt is not { } prompt) return Fail(TooLong);
        var again = new Result(Outcome.Mfa, Session: session, Prompt: prompt) { State = state };
        try
        {
            if (page.Challenge == ChallengeName.SelectMfaType)
            {
                if (choice is null || !prompt.Choices.Contains(choice)) return again with { Message = Texts.English(ChooseFactor), Key = ChooseFactor, Field = "factor" };
                var chosen = await Send(client, HostedAuthAction.Respond, ct, challenge: ChallengeName.SelectMfaType, session: session,
                    parameters: new() { ["ANSWER"] = choice, ["USERNAME"] = page.Username });
                return await Page(pool, client, chosen, page.Username, ct);
            }
            if (page.Challenge == ChallengeName.MfaSetup)
            {
                string verified;
                try
                {
                    verified = (await Send(client, HostedAuthAction.VerifySoftwareToken, ct, session: session,
                        parameters: new() { ["USER_CODE"] = code, ["DEVICE_NAME"] = deviceName ?? "" })).Session!;
                }
                catch (EnableSoftwareTokenMFAException)
                {
                    return again with { Message = Texts.English(WrongCode), Key = WrongCode, Field = "code" };
                }
                var done = await Send(client, HostedAuthAction.Respond, ct, challenge: ChallengeName.MfaSetup, session: verified,
                    parameters: new() { ["USERNAME"] = page.Username, ["REMEMBER_DEVICE"] = rememberDevice ? "true" : "false" });
                return await Page(pool, client, done, page.Username, ct);
            }
            var step = await Send(client, HostedAuthAction.Respond, ct, challenge: page.Challenge, session: session,
                parameters: new()
                {
                    [page.Challenge + "_CODE"] = code, ["USERNAME"] = page.Username, ["REMEMBER_DEVICE"] = rememberDevice ? "true" : "false",
                });
            return await Page(pool, client, step, page.Username, ct);
        }
        catch (CodeMismatchException)
        {
            // A few wrong codes per session: then the sign-in starts again (the lockout bounds guesses across sessions).
            if (!await Alive(session, ct)) return Fail(TooManyCodes);
            return again with { Message = Texts.English(WrongCode), Key = WrongCode, Field = "code" };
        }
        catch (NotAuthorizedException e) when (e.Message == SignInErrors.SessionExpired)
        {
            return Fail(prompt.Factor is ChallengeName.SoftwareTokenMfa || prompt.Setup || prompt.Choices.Count > 0 ? TooLong : CodeExpired);
        }
        catch (NotAuthorizedException e) when (e.Message == SignInErrors.InvalidSession)
        {
            return Fail(TooLong);
        }
        catch (CognitoException e)
        {
            return Failed(e);
        }
    }

    // ---- engine steps to pages ----

    Task<HostedAuthResponse> Send(AppClientStore.Client client, HostedAuthAction action, CancellationToken ct, string? flow = null,
        string? challenge = null, string? session = null, Dictionary<string, string>? parameters = null) =>
        engine.Send(new HostedAuthRequest
        {
            Action = action, ClientId = client.Row.ClientId, AuthFlow = flow, ChallengeName = challenge, Session = session, Parameters = parameters ?? [],
        }, ct);

    /// <summary>The page for the engine's step: signed in, a new password, or the MFA page in one of its forms.</summary>
    internal async Task<Result> Page(UserPoolStore.Pool pool, AppClientStore.Client client, HostedAuthResponse step, string username, CancellationToken ct,
        bool passwordless = false)
    {
        if (step.SignedInSub is { } sub)
        {
            var signed = await db.Users.AsNoTracking().FirstAsync(u => u.Sub == sub, ct);
            return new(Outcome.Signed, signed) { AuthTime = step.AuthTime, BrowserDevice = step.BrowserDevice };
        }
        var p = step.ChallengeParameters;
        var name = p.GetValueOrDefault("USER_ID_FOR_SRP") ?? p.GetValueOrDefault("USERNAME") ?? username;
        switch (step.ChallengeName)
        {
            case ChallengeName.NewPasswordRequired:
            {
                var required = JsonSerializer.Deserialize<List<string>>(p.GetValueOrDefault("requiredAttributes") ?? "[]")!
                    .Select(a => a["userAttributes.".Length..]).ToList();
                return new(Outcome.NewPasswordRequired, Session: step.Session)
                {
                    RequiredAttributes = required, State = Write(new PageState(ChallengeName.NewPasswordRequired, name, null, required)),
                };
            }
            case ChallengeName.MfaSetup:
            {
                // The page shows the new authenticator's secret (QR code and key) and takes its first code.
                var associated = await Send(client, HostedAuthAction.AssociateSoftwareToken, ct, session: step.Session);
                var prompt = new MfaPrompt(null, [], null, associated.SecretCode, await Account(pool, name, ct));
                return Mfa(associated.Session!, ChallengeName.MfaSetup, name, prompt);
            }
            case ChallengeName.SelectMfaType:
            {
                var choices = JsonSerializer.Deserialize<List<string>>(p.GetValueOrDefault("MFAS_CAN_CHOOSE") ?? "[]")!;
                return Mfa(step.Session!, ChallengeName.SelectMfaType, name, new MfaPrompt(null, choices, null, null, await Account(pool, name, ct)));
            }
            case ChallengeName.SoftwareTokenMfa or ChallengeName.SmsMfa or ChallengeName.EmailOtp or ChallengeName.SmsOtp:
            {
                var prompt = new MfaPrompt(step.ChallengeName, [], p.GetValueOrDefault("CODE_DELIVERY_DESTINATION"), null, await Account(pool, name, ct))
                {
                    Passwordless = passwordless,
                };
                return Mfa(step.Session!, step.ChallengeName, name, prompt);
            }
            default:
                return Fail(TooLong);
        }
    }

    Result Mfa(string session, string challenge, string username, MfaPrompt prompt) =>
        new(Outcome.Mfa, Session: session, Prompt: prompt) { State = Write(new PageState(challenge, username, prompt, null)) };

    /// <summary>An authenticator lists the account by its email when it has one (in a pool whose users sign in with their
    /// email, the username is an opaque id).</summary>
    async Task<string> Account(UserPoolStore.Pool pool, string username, CancellationToken ct) =>
        (await users.Find(pool, username, ct)) is { } user ? user.Email ?? user.Username : username;

    /// <summary>Whether the session still answers (a wrong code keeps it, a few times).</summary>
    async Task<bool> Alive(string session, CancellationToken ct) => await sessions.ChallengeOf(session, ct) is not null;

    /// <summary>The engine's refusals in the page's words.</summary>
    static Result Failed(CognitoException e) => e switch
    {
        NotAuthorizedException { Message: SignInErrors.IncorrectPassword } or UserNotFoundException => Fail(WrongPassword),
        NotAuthorizedException { Message: SignInErrors.AttemptsExceeded } => Fail(TooManyFailures),
        NotAuthorizedException { Message: SignInErrors.UserDisabled } => Fail(Disabled),
        NotAuthorizedException { Message: SignInErrors.InvalidSession or SignInErrors.SessionExpired } => Fail(TooLong),
        InvalidUserPoolConfigurationException => Fail(NoMfaFactor),
        // A trigger's refusal (its own message, as Cognito's hosted UI shows it) or what the engine said.
        _ => new(Outcome.Failed, Message: e.Message),
    };

    string Write(PageState state) => Protector.Protect(JsonSerializer.Serialize(state));

    PageState? Read(string? value, string? challenge)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            var state = JsonSerializer.Deserialize<PageState>(Protector.Unprotect(value));
            return state is not null && (challenge is null || state.Challenge == challenge) ? state : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }
}
