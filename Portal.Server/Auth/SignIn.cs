using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Messaging;
using Portal.Server.SelfService;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>One step of a sign-in: a challenge to answer (with its Session) or the tokens.</summary>
public sealed record AuthStep(
    string? ChallengeName, string? Session, Dictionary<string, string> ChallengeParameters, AuthenticationResultType? AuthenticationResult)
{
    /// <summary>USER_AUTH's SELECT_CHALLENGE: the factors the user may choose from.</summary>
    public List<string>? AvailableChallenges { get; init; }
}

/// <summary>
/// Cognito's sign-in flows, shared by InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge / AdminRespondToAuthChallenge:
/// USER_SRP_AUTH (PASSWORD_VERIFIER), USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH (and the legacy ADMIN_NO_SRP_AUTH),
/// REFRESH_TOKEN_AUTH, NEW_PASSWORD_REQUIRED for users created with a temporary password, and CUSTOM_AUTH driven by the
/// pool's define/create/verify auth challenge triggers. Only the flows the app client allows; SECRET_HASH for clients with
/// a secret; the lockout after repeated failures lives on the user row. The pool's pre and post authentication and user
/// migration triggers run as Cognito runs them.
/// </summary>
public sealed class SignIn(
    PortalDb db, UserPoolStore pools, AppClientStore clients, UserStore users, Credentials credentials, Tokens tokens,
    AuthSessions sessions, UnknownUsers unknown, UnknownUserFailures unknownFailures, SignInLockout lockout, UserTriggers triggers, UserMigration migration, AuthEvents events,
    Codes codes, Messages messages, Mfa mfa, TimeProvider clock)
{
    // The caller's ClientMetadata, passed to the triggers of this sign-in step.
    IReadOnlyDictionary<string, string>? clientMetadata;

    const string IncorrectPassword = "Incorrect username or password.";
    const string AttemptsExceeded = "Password attempts exceeded";

    // ---- InitiateAuth ----

    public async Task<AuthStep> Initiate(string? userPoolId, string? clientId, string flow, Dictionary<string, string>? authParameters,
        bool admin, CancellationToken ct, Dictionary<string, string>? metadata = null)
    {
        clientMetadata = metadata;
        var caller = await Caller(userPoolId, clientId, admin, ct);
        var p = Parameters(authParameters);
        switch (flow)
        {
            case "USER_SRP_AUTH":
                RequireFlow(caller, flow);
                return await StartSrp(caller, p, ct);
            case "USER_PASSWORD_AUTH" when !admin:
            case "ADMIN_USER_PASSWORD_AUTH" or "ADMIN_NO_SRP_AUTH" when admin:
                RequireFlow(caller, flow);
                return await Password(caller, Required(p, "USERNAME"), Required(p, "PASSWORD"), p.GetValueOrDefault("SECRET_HASH"), ct);
            case "REFRESH_TOKEN_AUTH" or "REFRESH_TOKEN":
                RequireFlow(caller, "REFRESH_TOKEN_AUTH");
                return await Refresh(caller, p, ct);
            case "CUSTOM_AUTH":
                RequireFlow(caller, flow);
                return await StartCustom(caller, p, ct);
            case "USER_AUTH":
                RequireFlow(caller, flow);
                return await ChoiceBased(caller, p, ct);
            default:
                throw new InvalidParameterException("Initiate Auth method not supported.");
        }
    }

    // ---- RespondToAuthChallenge ----

    public async Task<AuthStep> Respond(string? userPoolId, string? clientId, string challengeName, string? session,
        Dictionary<string, string>? challengeResponses, bool admin, CancellationToken ct, Dictionary<string, string>? metadata = null)
    {
        clientMetadata = metadata;
        var caller = await Caller(userPoolId, clientId, admin, ct);
        var r = Parameters(challengeResponses);
        return challengeName switch
        {
            "PASSWORD_VERIFIER" => await PasswordVerifier(caller, r, ct),
            "NEW_PASSWORD_REQUIRED" => await NewPasswordRequired(caller, session, r, ct),
            "SELECT_CHALLENGE" => await SelectChallenge(caller, session, r, ct),
            "PASSWORD" or "PASSWORD_SRP" => await AnswerChosen(caller, session, challengeName, r, ct),
            "EMAIL_OTP" when await sessions.ChallengeOf(session, ct) == MfaEmailSession => await AnswerMfa(caller, session, challengeName, r, ct),
            "EMAIL_OTP" or "SMS_OTP" => await AnswerOtp(caller, session, challengeName, r, ct),
            "SMS_MFA" or "SOFTWARE_TOKEN_MFA" => await AnswerMfa(caller, session, challengeName, r, ct),
            "SELECT_MFA_TYPE" => await SelectMfaType(caller, session, r, ct),
            "MFA_SETUP" => await MfaSetup(caller, session, r, ct),
            "CUSTOM_CHALLENGE" => await CustomChallenge(caller, session, r, ct),
            // Any other challenge would have been issued with a session of its own; there is none to answer.
            _ => throw new NotAuthorizedException("Invalid session for the user."),
        };
    }

    // ---- USER_SRP_AUTH / PASSWORD_VERIFIER ----

    sealed record SrpState(string Username, string SrpA, string SaltHex, string PrivateB, string SrpB, bool Unknown, string? Sub)
    {
        /// <summary>A PASSWORD_VERIFIER inside CUSTOM_AUTH: the custom rounds so far, continued once the password is proven.</summary>
        public CustomSrp? Custom { get; init; }
    }

    sealed record CustomSrp(List<ChallengeResult> Rounds, DateTimeOffset Started);

    async Task<AuthStep> StartSrp(CallingClient caller, IReadOnlyDictionary<string, string> p, CancellationToken ct, CustomSrp? custom = null)
    {
        var username = Required(p, "USERNAME");
        var srpA = Required(p, "SRP_A");
        if (!Srp.TryParseHex(srpA, out var a) || (a % Srp.N).IsZero) throw new InvalidParameterException("Invalid SRP_A value.");
        caller.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), username);
        var user = await users.Find(caller.Pool, username, ct);

        string userIdForSrp, saltHex, verifierHex;
        if (user is not null && user.SrpVerifier?.Split(':') is [var salt, var verifier])
        {
            if (lockout.IsLocked(user)) throw new NotAuthorizedException(AttemptsExceeded);
            if (user.Status == "RESET_REQUIRED") throw new PasswordResetRequiredException("Password reset required for the user");
            // Inside CUSTOM_AUTH the pre authentication trigger already ran when the flow started.
            if (custom is null) await triggers.PreAuthentication(caller.Pool, user, username, caller.Client.Row.ClientId, clientMetadata, ct);
            (userIdForSrp, saltHex, verifierHex) = (user.Username, salt, verifier);
        }
        else
        {
            if (user is null && !caller.PreventsUserExistenceErrors) throw new UserNotFoundException("User does not exist.");
            // An unknown name is locked out as a known one would be, so the lockout does not tell who exists.
            if (user is null && unknownFailures.IsLocked(caller.Pool.Row.Id, username)) throw new NotAuthorizedException(AttemptsExceeded);
            // A challenge like a real one (stable salt per name, random B), so the answer cannot tell who exists.
            (userIdForSrp, saltHex, verifierHex) = (user?.Username ?? username, await unknown.Salt(caller.Pool.Row.Id, username, ct), unknown.Verifier());
        }

        var server = Srp.Start(verifierHex);
        var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var state = new SrpState(userIdForSrp, srpA, saltHex, server.PrivateB, server.SrpB, user?.SrpVerifier is null, user?.Sub) { Custom = custom };
        // The SECRET_BLOCK is the session: clients answer with it as PASSWORD_CLAIM_SECRET_BLOCK.
        await sessions.Start(caller.Pool.Row.Id, caller.Client.Row.ClientId, user?.Sub, "PASSWORD_VERIFIER", state,
            SessionMinutes(caller), ct, value: secretBlock);
        await db.SaveChangesAsync(ct);
        return Challenge("PASSWORD_VERIFIER", null, new()
        {
            ["SALT"] = saltHex, ["SECRET_BLOCK"] = secretBlock, ["SRP_B"] = server.SrpB,
            ["USERNAME"] = userIdForSrp, ["USER_ID_FOR_SRP"] = userIdForSrp,
        });
    }

    async Task<AuthStep> PasswordVerifier(CallingClient caller, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var secretBlock = Required(r, "PASSWORD_CLAIM_SECRET_BLOCK");
        var signature = Required(r, "PASSWORD_CLAIM_SIGNATURE");
        var timestamp = Required(r, "TIMESTAMP");
        var username = Required(r, "USERNAME");
        if (!Srp.TryParseTimestamp(timestamp, out _))
            throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in English.");
        // The secret block issued with the challenge is the session (the client may also echo a Session; it is not needed).
        var (_, state) = await sessions.Take<SrpState>(secretBlock, caller.Client.Row.ClientId, "PASSWORD_VERIFIER", ct);

        var user = state.Sub is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct);
        // The answer may name the user by USER_ID_FOR_SRP or by the name they signed in with.
        var named = user is not null && (username == user.Username || (await users.Find(caller.Pool, username, ct))?.Sub == user.Sub);
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), username, state.Username);
        if (user is null || state.Unknown || !named)
        {
            if (state.Sub is null && !unknownFailures.Begin(caller.Pool.Row.Id, state.Username))
            {
                await db.SaveChangesAsync(ct);
                throw new NotAuthorizedException(AttemptsExceeded);
            }
            // The same work as checking a real claim, so the answer takes as long.
            _ = Srp.VerifyPasswordClaim(caller.Pool.Row.Id, state.Username, state.SaltHex, state.SrpB, state.SrpA, state.PrivateB, state.SrpB,
                secretBlock, timestamp, signature);
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(IncorrectPassword);
        }

        if (await lockout.Begin(user, ct) is not { } attempt)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(AttemptsExceeded);
        }
        var verifier = user.SrpVerifier?.Split(':');
        var proven = verifier is [var salt, var v] && salt == state.SaltHex
                     && Srp.VerifyPasswordClaim(caller.Pool.Row.Id, state.Username, salt, v, state.SrpA, state.PrivateB, state.SrpB,
                         secretBlock, timestamp, signature);
        if (state.Custom is { } custom)
        {
            // CUSTOM_AUTH with SRP: a wrong password ends the flow; a proven one is a round the define trigger sees.
            if (!proven) return await AfterPassword(caller, user, proven, attempt, ct);
            await lockout.Proven(user, attempt, ct);
            return await NextCustom(caller, user, user.Username, [.. custom.Rounds, new ChallengeResult("PASSWORD_VERIFIER", true, null)], custom.Started, ct);
        }
        return await AfterPassword(caller, user, proven, attempt, ct);
    }

    // ---- USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH ----

    async Task<AuthStep> Password(CallingClient caller, string username, string password, string? secretHash, CancellationToken ct)
    {
        var user = await users.Find(caller.Pool, username, ct);
        caller.CheckSecretHash(secretHash, username, user?.Username);
        // A name the pool does not know may be a user of the old directory: the migration trigger vouches with the password.
        if (user is null && UserMigration.Configured(caller.Pool))
            user = await migration.Migrate(caller.Pool, caller.Client.Row.ClientId, username, password, clientMetadata, clientMetadata, ct);
        if (user is null)
        {
            if (caller.PreventsUserExistenceErrors)
            {
                // Counted and locked as a known name would be, so the lockout's answers do not tell who exists.
                if (unknownFailures.IsLocked(caller.Pool.Row.Id, username)) throw new NotAuthorizedException(AttemptsExceeded);
                await triggers.PreAuthentication(caller.Pool, null, username, caller.Client.Row.ClientId, clientMetadata, ct);
                if (!unknownFailures.Begin(caller.Pool.Row.Id, username)) throw new NotAuthorizedException(AttemptsExceeded);
            }
            unknown.SpendPasswordCheck(password);
            throw caller.PreventsUserExistenceErrors ? new NotAuthorizedException(IncorrectPassword) : new UserNotFoundException("User does not exist.");
        }
        if (lockout.IsLocked(user)) throw new NotAuthorizedException(AttemptsExceeded);
        if (user.Status == "RESET_REQUIRED")
        {
            // A migrated user who must reset is kept, so ForgotPassword finds them.
            if (db.Entry(user).State == EntityState.Added) await db.SaveChangesAsync(ct);
            throw new PasswordResetRequiredException("Password reset required for the user");
        }
        await triggers.PreAuthentication(caller.Pool, user, username, caller.Client.Row.ClientId, clientMetadata, ct);
        var attempt = await lockout.Begin(user, ct) ?? throw new NotAuthorizedException(AttemptsExceeded);
        return await AfterPassword(caller, user, credentials.Verify(user, password), attempt, ct);
    }

    /// <summary>The password is proven or not: count the failure (and lock), or go on to the user's state and the tokens.</summary>
    async Task<AuthStep> AfterPassword(CallingClient caller, UserRow user, bool proven, SignInLockout.Attempt attempt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var clientId = caller.Client.Row.ClientId;
        if (!proven)
        {
            // Already counted (and locked, at the limit) before the check.
            events.Add(caller.Pool, user, "SignIn", "Fail", clientId, ("Password", false));
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(IncorrectPassword);
        }
        await lockout.Proven(user, attempt, ct);
        if (!user.Enabled || user.Status is "UNCONFIRMED" or "RESET_REQUIRED")
        {
            events.Add(caller.Pool, user, "SignIn", "Fail", clientId, ("Password", true));
            await db.SaveChangesAsync(ct);
            throw !user.Enabled ? new NotAuthorizedException("User is disabled.")
                : user.Status == "UNCONFIRMED" ? new UserNotConfirmedException("User is not confirmed.")
                : new PasswordResetRequiredException("Password reset required for the user");
        }
        if (user.Status == "FORCE_CHANGE_PASSWORD")
        {
            events.Add(caller.Pool, user, "SignIn", "InProgress", clientId, ("Password", true));
            return await StartNewPasswordRequired(caller, user, now, ct);
        }
        return await SecondFactor(caller, user, now, ct);
    }

    /// <summary>The user is who they say and may sign in: issue the tokens.</summary>
    async Task<AuthStep> Complete(CallingClient caller, UserRow user, DateTimeOffset authTime, CancellationToken ct,
        string tokenSource = "TokenGeneration_Authentication", SignInKind kind = SignInKind.Password, bool mfaPassed = false)
    {
        await triggers.PostAuthentication(caller.Pool, user, caller.Client.Row.ClientId, clientMetadata, ct);
        // Only a whole sign-in forgets failures: a right password alone does not buy fresh guesses at the second factor.
        await lockout.Succeeded(user, ct);
        if (kind == SignInKind.NewPassword) await events.Passed(caller.Pool, user, ct);
        else if (kind is SignInKind.Custom or SignInKind.Code) await events.SignedIn(caller.Pool, user, caller.Client.Row.ClientId, ct);
        else if (mfaPassed) await events.SignedIn(caller.Pool, user, caller.Client.Row.ClientId, ct, ("Password", true), ("Mfa", true));
        else await events.SignedIn(caller.Pool, user, caller.Client.Row.ClientId, ct, ("Password", true));
        var grant = new TokenGrant(caller.Pool, caller.Client, user, authTime, [Tokens.AdminScope])
        {
            TriggerSource = tokenSource, ClientMetadata = clientMetadata,
        };
        var result = await tokens.Issue(grant, ct);
        await db.SaveChangesAsync(ct);
        return new AuthStep(null, null, [], result);
    }

    /// <summary>How the user proved who they are, for the sign-in's auth event.</summary>
    enum SignInKind { Password, NewPassword, Custom, Code }

    // ---- NEW_PASSWORD_REQUIRED ----

    sealed record NewPasswordState(string Sub, DateTimeOffset AuthTime);

    async Task<AuthStep> StartNewPasswordRequired(CallingClient caller, UserRow user, DateTimeOffset authTime, CancellationToken ct)
    {
        var attributes = UserStore.Attributes(user);
        attributes.Remove("sub");
        var required = (caller.Pool.Settings.SchemaAttributes ?? [])
            .Where(s => s.Required == true && s.Name is not null && s.Name != "sub" && string.IsNullOrEmpty(attributes.GetValueOrDefault(s.Name)))
            .Select(s => "userAttributes." + s.Name).ToList();
        var session = await sessions.Start(caller.Pool.Row.Id, caller.Client.Row.ClientId, user.Sub, "NEW_PASSWORD_REQUIRED",
            new NewPasswordState(user.Sub, authTime), SessionMinutes(caller), ct);
        await db.SaveChangesAsync(ct);
        return Challenge("NEW_PASSWORD_REQUIRED", session, new()
        {
            ["USER_ID_FOR_SRP"] = user.Username,
            ["requiredAttributes"] = JsonSerializer.Serialize(required),
            ["userAttributes"] = JsonSerializer.Serialize(attributes),
        });
    }

    async Task<AuthStep> NewPasswordRequired(CallingClient caller, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var username = Required(r, "USERNAME");
        var newPassword = Required(r, "NEW_PASSWORD");
        var (_, state) = await sessions.Take<NewPasswordState>(session, caller.Client.Row.ClientId, "NEW_PASSWORD_REQUIRED", ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw new NotAuthorizedException("Invalid session for the user.");
        if (username != user.Username && (await users.Find(caller.Pool, username, ct))?.Sub != user.Sub)
            throw new NotAuthorizedException("Invalid session for the user.");
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), username, user.Username);
        if (!user.Enabled) throw new NotAuthorizedException("User is disabled.");

        // userAttributes.<name> answers fill in required attributes; values the user already has are not changes.
        var current = UserStore.Attributes(user);
        var changes = r.Where(kv => kv.Key.StartsWith("userAttributes.", StringComparison.Ordinal))
            .Select(kv => new AttributeType { Name = kv.Key["userAttributes.".Length..], Value = kv.Value })
            .Where(a => current.GetValueOrDefault(a.Name!) != a.Value)
            .ToList();
        if (changes.Count > 0)
        {
            AttributeRules.CheckWritable(caller.Pool.Settings, changes, creating: false);
            caller.CheckWriteAttributes(changes.Select(a => a.Name!));
            var values = changes.Select(a => new KeyValuePair<string, string?>(a.Name!, a.Value)).ToList();
            // A new address is not a verified one.
            if (changes.Any(a => a.Name == "email") && changes.All(a => a.Name != "email_verified")) values.Add(new("email_verified", "false"));
            if (changes.Any(a => a.Name == "phone_number") && changes.All(a => a.Name != "phone_number_verified")) values.Add(new("phone_number_verified", "false"));
            UserStore.SetAttributes(user, values);
        }
        AttributeRules.CheckRequired(caller.Pool.Settings, UserStore.Attributes(user));
        credentials.SetPassword(caller.Pool, user, newPassword);
        user.Status = "CONFIRMED";
        user.LastModifiedAt = clock.GetUtcNow();
        return await SecondFactor(caller, user, state.AuthTime, ct, "TokenGeneration_NewPasswordChallenge", SignInKind.NewPassword);
    }

    // ---- USER_AUTH (choice-based sign-in, with the password factors) ----

    sealed record ChoiceState(string Username);

    async Task<AuthStep> ChoiceBased(CallingClient caller, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        var username = Required(p, "USERNAME");
        caller.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), username);
        var preferred = p.GetValueOrDefault("PREFERRED_CHALLENGE");
        var user = await users.Find(caller.Pool, username, ct);
        var available = FirstFactors(caller.Pool, user);
        if (preferred == "PASSWORD" && available.Contains("PASSWORD") && p.TryGetValue("PASSWORD", out var password))
            return await Password(caller, username, password, p.GetValueOrDefault("SECRET_HASH"), ct);
        if (preferred == "PASSWORD_SRP" && available.Contains("PASSWORD_SRP") && p.ContainsKey("SRP_A"))
            return await StartSrp(caller, p, ct);
        if (preferred is "EMAIL_OTP" or "SMS_OTP" && available.Contains(preferred) && user is not null)
            return await StartOtp(caller, user, username, preferred, ct);
        if (user is null && !caller.PreventsUserExistenceErrors)
            throw new UserNotFoundException("User does not exist.");
        var session = await sessions.Start(caller.Pool.Row.Id, caller.Client.Row.ClientId, null, "SELECT_CHALLENGE",
            new ChoiceState(username), SessionMinutes(caller), ct);
        await db.SaveChangesAsync(ct);
        return new AuthStep("SELECT_CHALLENGE", session, [], null) { AvailableChallenges = available };
    }

    /// <summary>The first factors the pool allows (its SignInPolicy) that this user can use: a password, and a code by
    /// email or SMS to a verified address. An unknown user is offered the password, so the answer tells nothing.</summary>
    static List<string> FirstFactors(UserPoolStore.Pool pool, UserRow? user)
    {
        var allowed = pool.Settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ["PASSWORD"];
        var factors = new List<string>();
        if (allowed.Contains("PASSWORD")) factors.AddRange(["PASSWORD", "PASSWORD_SRP"]);
        var attributes = user is null ? [] : UserStore.Attributes(user);
        if (allowed.Contains("EMAIL_OTP") && attributes.GetValueOrDefault("email_verified") == "true" && attributes.ContainsKey("email"))
            factors.Add("EMAIL_OTP");
        if (allowed.Contains("SMS_OTP") && attributes.GetValueOrDefault("phone_number_verified") == "true" && attributes.ContainsKey("phone_number"))
            factors.Add("SMS_OTP");
        return factors.Count > 0 ? factors : ["PASSWORD", "PASSWORD_SRP"];
    }

    async Task<AuthStep> SelectChallenge(CallingClient caller, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Required(r, "ANSWER");
        if (answer is not ("PASSWORD" or "PASSWORD_SRP" or "EMAIL_OTP" or "SMS_OTP")) throw new InvalidParameterException($"Invalid ANSWER value: {answer}.");
        return await AnswerChosen(caller, session, answer, r, ct, "SELECT_CHALLENGE");
    }

    async Task<AuthStep> AnswerChosen(CallingClient caller, string? session, string factor, IReadOnlyDictionary<string, string> r,
        CancellationToken ct, string sessionChallenge = "SELECT_CHALLENGE")
    {
        var (_, state) = await sessions.Take<ChoiceState>(session, caller.Client.Row.ClientId, sessionChallenge, ct);
        var username = r.GetValueOrDefault("USERNAME") ?? state.Username;
        var user = await users.Find(caller.Pool, username, ct);
        if (!FirstFactors(caller.Pool, user).Contains(factor))
            throw new InvalidParameterException($"{factor} is not available for this user: the user pool's sign-in policy or the user's verified attributes do not allow it.");
        if (factor == "PASSWORD")
            return await Password(caller, username, Required(r, "PASSWORD"), r.GetValueOrDefault("SECRET_HASH"), ct);
        if (factor is "EMAIL_OTP" or "SMS_OTP")
            return await StartOtp(caller, user!, username, factor, ct);
        return await StartSrp(caller, new Dictionary<string, string>(r) { ["USERNAME"] = username }, ct);
    }

    // ---- EMAIL_OTP / SMS_OTP (passwordless first factors of USER_AUTH) ----

    sealed record OtpState(string Sub, string Factor);

    /// <summary>How long a passwordless code is good for, as Cognito's: three minutes.</summary>
    static readonly TimeSpan OtpLifetime = TimeSpan.FromMinutes(3);

    async Task<AuthStep> StartOtp(CallingClient caller, UserRow user, string username, string factor, CancellationToken ct)
    {
        if (lockout.IsLocked(user)) throw new NotAuthorizedException(AttemptsExceeded);
        if (!user.Enabled) throw new NotAuthorizedException("User is disabled.");
        if (user.Status == "UNCONFIRMED") throw new UserNotConfirmedException("User is not confirmed.");
        await triggers.PreAuthentication(caller.Pool, user, username, caller.Client.Row.ClientId, clientMetadata, ct);
        var attribute = factor == "EMAIL_OTP" ? "email" : "phone_number";
        var destination = UserStore.Attributes(user)[attribute];
        var code = await codes.Issue(user, CodePurpose.SignIn(factor), OtpLifetime, ct, digits: 8);
        var delivery = messages.SendAuthenticationCode(caller.Pool, user, attribute, destination, code, caller.Client.Row.ClientId, clientMetadata);
        await messages.Customize(ct);
        var session = await sessions.Start(caller.Pool.Row.Id, caller.Client.Row.ClientId, user.Sub, factor, new OtpState(user.Sub, factor),
            SessionMinutes(caller), ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return Challenge(factor, session, new()
        {
            ["CODE_DELIVERY_DELIVERY_MEDIUM"] = delivery.DeliveryMedium!, ["CODE_DELIVERY_DESTINATION"] = delivery.Destination!,
            ["USERNAME"] = user.Username,
        });
    }

    async Task<AuthStep> AnswerOtp(CallingClient caller, string? session, string factor, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Required(r, factor + "_CODE");
        var (row, state) = await sessions.Take<OtpState>(session, caller.Client.Row.ClientId, factor, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw new NotAuthorizedException("Invalid session for the user.");
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        try
        {
            await codes.Use(user, CodePurpose.SignIn(factor), answer, ct);
        }
        catch (CodeMismatchException)
        {
            // A wrong code may be tried again with the same session, until the code's attempts run out.
            db.Entry(row).State = EntityState.Unchanged;
            events.Add(caller.Pool, user, "SignIn", "Fail", caller.Client.Row.ClientId);
            await db.SaveChangesAsync(ct);
            throw;
        }
        catch (CognitoException e) when (e is ExpiredCodeException or LimitExceededException)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException("Invalid session for the user, session is expired.");
        }
        if (!user.Enabled)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException("User is disabled.");
        }
        return await Complete(caller, user, clock.GetUtcNow(), ct, kind: SignInKind.Code);
    }

    // ---- MFA: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP after the password; SELECT_MFA_TYPE; MFA_SETUP ----

    sealed record MfaState(string Sub, DateTimeOffset AuthTime, string TokenSource, SignInKind Kind, List<string>? Choices = null,
        string? PendingSecret = null, bool Verified = false, int WrongCodes = 0);

    /// <summary>Wrong codes one MFA session takes before it ends (the lockout bounds the user's guesses across sessions).</summary>
    public const int MfaCodesPerSession = 3;

    /// <summary>An email MFA session, told apart from a passwordless EMAIL_OTP one (both answer "EMAIL_OTP").</summary>
    const string MfaEmailSession = "MFA_EMAIL_OTP";

    /// <summary>The password is proven: the pool's MFA decides whether a second factor comes before the tokens.</summary>
    async Task<AuthStep> SecondFactor(CallingClient caller, UserRow user, DateTimeOffset authTime, CancellationToken ct,
        string tokenSource = "TokenGeneration_Authentication", SignInKind kind = SignInKind.Password)
    {
        var state = new MfaState(user.Sub, authTime, tokenSource, kind);
        switch (Mfa.Decide(Mfa.Of(caller.Pool), user))
        {
            case Mfa.Challenge c:
                return await StartMfa(caller, user, c.Factor, state, ct);
            case Mfa.Select s:
            {
                var session = await sessions.Start(caller.Pool.Row.Id, caller.Client.Row.ClientId, user.Sub, "SELECT_MFA_TYPE",
                    state with { Choices = s.Factors }, SessionMinutes(caller), ct);
                await db.SaveChangesAsync(ct);
                return Challenge("SELECT_MFA_TYPE", session, new()
                {
                    ["MFAS_CAN_CHOOSE"] = JsonSerializer.Serialize(s.Factors), ["USER_ID_FOR_SRP"] = user.Username,
                });
            }
            case Mfa.Setup s:
            {
                if (s.Factors.Count == 0)
                {
                    await db.SaveChangesAsync(ct);
                    throw new InvalidUserPoolConfigurationException(
                        "The user pool requires MFA, but the user has no phone number or email for its MFA factors and authenticator apps are not enabled.");
                }
                var session = await sessions.Start(caller.Pool.Row.Id, caller.Client.Row.ClientId, user.Sub, "MFA_SETUP", state,
                    SessionMinutes(caller), ct);
                await db.SaveChangesAsync(ct);
                return Challenge("MFA_SETUP", session, new()
                {
                    ["MFAS_CAN_SETUP"] = JsonSerializer.Serialize(s.Factors), ["USER_ID_FOR_SRP"] = user.Username,
                });
            }
            default:
                return await Complete(caller, user, authTime, ct, tokenSource, kind);
        }
    }

    async Task<AuthStep> StartMfa(CallingClient caller, UserRow user, string factor, MfaState state, CancellationToken ct)
    {
        var clientId = caller.Client.Row.ClientId;
        if (factor == Mfa.SoftwareToken)
        {
            var session = await sessions.Start(caller.Pool.Row.Id, clientId, user.Sub, factor, state, SessionMinutes(caller), ct);
            await db.SaveChangesAsync(ct);
            return Challenge(factor, session, new()
            {
                ["FRIENDLY_DEVICE_NAME"] = Mfa.Read(user).SoftwareTokenDeviceName ?? "Authenticator app", ["USER_ID_FOR_SRP"] = user.Username,
            });
        }
        var attribute = factor == Mfa.Sms ? "phone_number" : "email";
        var destination = UserStore.Attributes(user)[attribute];
        var code = await codes.Issue(user, CodePurpose.Mfa(factor), Mfa.CodeLifetime, ct);
        var message = Templates.Mfa(caller.Pool.Settings, Mfa.Of(caller.Pool).EmailMessage, Channels.Of(attribute), code, user.Username);
        var delivery = messages.SendAuthenticationCode(caller.Pool, user, attribute, destination, code, clientId, clientMetadata, message);
        await messages.Customize(ct);
        var challengeSession = await sessions.Start(caller.Pool.Row.Id, clientId, user.Sub, factor == Mfa.Email ? MfaEmailSession : factor,
            state, SessionMinutes(caller), ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return Challenge(factor, challengeSession, new()
        {
            ["CODE_DELIVERY_DELIVERY_MEDIUM"] = delivery.DeliveryMedium!, ["CODE_DELIVERY_DESTINATION"] = delivery.Destination!,
            ["USER_ID_FOR_SRP"] = user.Username,
        });
    }

    async Task<AuthStep> AnswerMfa(CallingClient caller, string? session, string factor, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var code = Required(r, factor + "_CODE");
        var clientId = caller.Client.Row.ClientId;
        var (row, state) = await sessions.Take<MfaState>(session, clientId, factor == Mfa.Email ? MfaEmailSession : factor, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw new NotAuthorizedException("Invalid session for the user.");
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        // Counted before the code is checked, as a password is: parallel guesses cannot pass the lockout.
        if (await lockout.Begin(user, ct) is not { } attempt)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(AttemptsExceeded);
        }
        bool right;
        if (factor == Mfa.SoftwareToken) right = mfa.VerifyUserCode(user, code);
        else
        {
            try
            {
                await codes.Use(user, CodePurpose.Mfa(factor), code, ct);
                right = true;
            }
            catch (CodeMismatchException)
            {
                right = false;
            }
            catch (CognitoException e) when (e is ExpiredCodeException or LimitExceededException)
            {
                await db.SaveChangesAsync(ct);
                throw new NotAuthorizedException("Invalid session for the user, session is expired.");
            }
        }
        if (!right)
        {
            // A wrong code may be tried again with the same session, a few times; wrong codes count toward the lockout
            // as wrong passwords do (already counted above).
            if (state.WrongCodes + 1 < MfaCodesPerSession)
            {
                db.Entry(row).State = EntityState.Modified;
                row.State = JsonSerializer.Serialize(state with { WrongCodes = state.WrongCodes + 1 });
            }
            events.Add(caller.Pool, user, "SignIn", "Fail", clientId, ("Password", true), ("Mfa", false));
            await db.SaveChangesAsync(ct);
            throw new CodeMismatchException("Invalid code received for user");
        }
        await lockout.Proven(user, attempt, ct);
        if (!user.Enabled)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException("User is disabled.");
        }
        return await Complete(caller, user, state.AuthTime, ct, state.TokenSource, state.Kind, mfaPassed: true);
    }

    async Task<AuthStep> SelectMfaType(CallingClient caller, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Required(r, "ANSWER");
        var (row, state) = await sessions.Take<MfaState>(session, caller.Client.Row.ClientId, "SELECT_MFA_TYPE", ct);
        if (state.Choices?.Contains(answer) != true)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new InvalidParameterException($"Invalid ANSWER value: {answer}. Choose one of {string.Join(", ", state.Choices ?? [])}.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw new NotAuthorizedException("Invalid session for the user.");
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        return await StartMfa(caller, user, answer, state with { Choices = null }, ct);
    }

    async Task<AuthStep> MfaSetup(CallingClient caller, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var (row, state) = await sessions.Take<MfaState>(session, caller.Client.Row.ClientId, "MFA_SETUP", ct);
        if (!state.Verified)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new InvalidParameterException(
                "No authenticator is set up yet: call AssociateSoftwareToken and VerifySoftwareToken with this session, then answer MFA_SETUP with the session VerifySoftwareToken returned.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw new NotAuthorizedException("Invalid session for the user.");
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        Mfa.SetPreference(Mfa.Of(caller.Pool), user, null, new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true }, null);
        return await Complete(caller, user, state.AuthTime, ct, state.TokenSource, state.Kind, mfaPassed: true);
    }

    /// <summary>AssociateSoftwareToken with an MFA_SETUP session: a new secret for the user to add to their authenticator.</summary>
    public async Task<(string SecretCode, string Session)> AssociateInSetup(string? session, CancellationToken ct)
    {
        var (row, state) = await sessions.TakeAny<MfaState>(session, "MFA_SETUP", ct);
        var (secret, protectedSecret) = mfa.NewSecret();
        var next = sessions.Continue(row, "MFA_SETUP", state with { PendingSecret = protectedSecret, Verified = false });
        await db.SaveChangesAsync(ct);
        return (secret, next);
    }

    /// <summary>VerifySoftwareToken with an MFA_SETUP session: the authenticator's code proves the secret was added; the
    /// user's authenticator is registered and the next session answers MFA_SETUP.</summary>
    public async Task<string> VerifyInSetup(string? session, string? code, string? deviceName, CancellationToken ct)
    {
        var (row, state) = await sessions.TakeAny<MfaState>(session, "MFA_SETUP", ct);
        if (state.PendingSecret is null)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new SoftwareTokenMFANotFoundException("Software token MFA has not been associated: call AssociateSoftwareToken with this session first.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw new NotAuthorizedException("Invalid session for the user.");
        var step = mfa.Match(state.PendingSecret, code);
        if (step is null)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new EnableSoftwareTokenMFAException("Code mismatch");
        }
        Mfa.Register(user, state.PendingSecret, step.Value, deviceName);
        user.LastModifiedAt = clock.GetUtcNow();
        var next = sessions.Continue(row, "MFA_SETUP", state with { PendingSecret = null, Verified = true });
        await db.SaveChangesAsync(ct);
        return next;
    }

    // ---- CUSTOM_AUTH (define, create and verify auth challenge triggers) ----

    sealed record CustomState(string Username, string? Sub, List<ChallengeResult> Rounds, string PrivateParameters, string? Metadata,
        DateTimeOffset Started);

    /// <summary>More rounds than this end the flow, whatever the define trigger says (Cognito stops at a similar bound).</summary>
    const int MaxCustomRounds = 10;

    async Task<AuthStep> StartCustom(CallingClient caller, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        if (!UserTriggers.Has(caller.Pool, "DefineAuthChallenge"))
            throw new InvalidParameterException("Custom auth lambda trigger is not configured for the user pool.");
        var username = Required(p, "USERNAME");
        var user = await users.Find(caller.Pool, username, ct);
        caller.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), username, user?.Username);
        if (user is null && !caller.PreventsUserExistenceErrors) throw new UserNotFoundException("User does not exist.");
        if (user is not null)
        {
            if (lockout.IsLocked(user)) throw new NotAuthorizedException(AttemptsExceeded);
            if (!user.Enabled) throw new NotAuthorizedException("User is disabled.");
            await triggers.PreAuthentication(caller.Pool, user, username, caller.Client.Row.ClientId, clientMetadata, ct);
        }
        // amazon-cognito-identity-js starts CUSTOM_AUTH with a password as CHALLENGE_NAME SRP_A: the define trigger sees that
        // round and may answer PASSWORD_VERIFIER, which proves the password by SRP before custom challenges.
        if (p.GetValueOrDefault("CHALLENGE_NAME") == "SRP_A" || p.ContainsKey("SRP_A"))
        {
            var srpA = Required(p, "SRP_A");
            if (!Srp.TryParseHex(srpA, out var a) || (a % Srp.N).IsZero) throw new InvalidParameterException("Invalid SRP_A value.");
            return await NextCustom(caller, user, user?.Username ?? username, [new ChallengeResult("SRP_A", true, null)], clock.GetUtcNow(), ct,
                new Dictionary<string, string>(p) { ["USERNAME"] = username });
        }
        return await NextCustom(caller, user, user?.Username ?? username, [], clock.GetUtcNow(), ct);
    }

    /// <summary>Asks the define trigger what comes next: tokens, failure, or another challenge made by the create trigger.</summary>
    /// <param name="srp">The InitiateAuth parameters with SRP_A, when the define trigger may answer PASSWORD_VERIFIER next.</param>
    async Task<AuthStep> NextCustom(CallingClient caller, UserRow? user, string username, List<ChallengeResult> rounds,
        DateTimeOffset started, CancellationToken ct, IReadOnlyDictionary<string, string>? srp = null)
    {
        var clientId = caller.Client.Row.ClientId;
        var define = await triggers.DefineAuthChallenge(caller.Pool, user, username, clientId, rounds, clientMetadata, ct);
        if (define.FailAuthentication || rounds.Count >= MaxCustomRounds || (define.IssueTokens && user is null))
        {
            if (user is not null && rounds.Count > 0) events.Add(caller.Pool, user, "SignIn", "Fail", clientId);
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(IncorrectPassword);
        }
        if (define.IssueTokens)
        {
            if (user!.Status == "UNCONFIRMED")
            {
                await db.SaveChangesAsync(ct);
                throw new UserNotConfirmedException("User is not confirmed.");
            }
            return await Complete(caller, user, started, ct, kind: SignInKind.Custom);
        }
        if (define.ChallengeName == "PASSWORD_VERIFIER" && srp is not null)
            return await StartSrp(caller, srp, ct, new CustomSrp(rounds, started));
        if (define.ChallengeName != "CUSTOM_CHALLENGE")
            throw new InvalidLambdaResponseException(define.ChallengeName is null
                ? "Unrecognizable lambda output"
                : define.ChallengeName == "PASSWORD_VERIFIER"
                    ? "Invalid challengeName PASSWORD_VERIFIER: it may only follow SRP_A, when the flow started with SRP_A."
                    : $"Invalid challengeName {define.ChallengeName}: Portal's custom authentication flow issues CUSTOM_CHALLENGE and PASSWORD_VERIFIER.");
        var created = await triggers.CreateAuthChallenge(caller.Pool, user, username, clientId, define.ChallengeName, rounds, clientMetadata, ct);
        var state = new CustomState(username, user?.Sub, rounds, created.PrivateChallengeParameters.ToJsonString(), created.ChallengeMetadata, started);
        var session = await sessions.Start(caller.Pool.Row.Id, clientId, user?.Sub, "CUSTOM_CHALLENGE", state, SessionMinutes(caller), ct);
        await db.SaveChangesAsync(ct);
        var parameters = new Dictionary<string, string>(created.PublicChallengeParameters) { ["USERNAME"] = username };
        return Challenge("CUSTOM_CHALLENGE", session, parameters);
    }

    async Task<AuthStep> CustomChallenge(CallingClient caller, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Required(r, "ANSWER");
        var username = Required(r, "USERNAME");
        var (_, state) = await sessions.Take<CustomState>(session, caller.Client.Row.ClientId, "CUSTOM_CHALLENGE", ct);
        var user = state.Sub is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct);
        if (state.Sub is not null && user is null) throw new NotAuthorizedException("Invalid session for the user.");
        if (user is not null && username != user.Username && (await users.Find(caller.Pool, username, ct))?.Sub != user.Sub)
            throw new NotAuthorizedException("Invalid session for the user.");
        caller.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), username, state.Username);
        var privateParameters = JsonNode.Parse(state.PrivateParameters) as JsonObject ?? [];
        var correct = await triggers.VerifyAuthChallengeResponse(caller.Pool, user, state.Username, caller.Client.Row.ClientId,
            privateParameters, answer, clientMetadata, ct);
        List<ChallengeResult> rounds = [.. state.Rounds, new ChallengeResult("CUSTOM_CHALLENGE", correct, state.Metadata)];
        return await NextCustom(caller, user, state.Username, rounds, state.Started, ct);
    }

    // ---- REFRESH_TOKEN_AUTH ----

    /// <summary>As Cognito documents: clients with refresh token rotation refresh only with GetTokensFromRefreshToken.</summary>
    public const string RotatingClientRefresh = "REFRESH_TOKEN_AUTH is not supported for app clients with refresh token rotation; use GetTokensFromRefreshToken.";

    async Task<AuthStep> Refresh(CallingClient caller, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        var refreshToken = Required(p, "REFRESH_TOKEN");
        if (Tokens.Rotates(caller.Client)) throw new InvalidParameterException(RotatingClientRefresh);
        var (row, user) = await tokens.Live(refreshToken, caller.Client.Row.ClientId, ct);
        caller.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), p.GetValueOrDefault("USERNAME"), user.Username, user.Sub);

        var grant = new TokenGrant(caller.Pool, caller.Client, user, row.IssuedAt, Tokens.ScopesOf(refreshToken))
        {
            TriggerSource = "TokenGeneration_RefreshTokens", ClientMetadata = clientMetadata,
        };
        var result = await tokens.Renew(grant, row, ct);
        await db.SaveChangesAsync(ct);
        return new AuthStep(null, null, [], result);
    }

    // ---- shared ----

    async Task<CallingClient> Caller(string? userPoolId, string? clientId, bool admin, CancellationToken ct)
    {
        if (!admin) return await CallingClient.Resolve(clients, pools, clientId, ct);
        var pool = await pools.Get(userPoolId, ct);
        return new CallingClient(await clients.Get(pool.Row.Id, clientId, ct), pool);
    }

    static readonly string[] DefaultFlows = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

    /// <summary>Only the flows the client's ExplicitAuthFlows allow; legacy lists (without ALLOW_) always allowed SRP and refresh.</summary>
    static void RequireFlow(CallingClient caller, string flow)
    {
        var flows = caller.Client.Settings.ExplicitAuthFlows is { Count: > 0 } f ? f : DefaultFlows.ToList();
        var legacy = !flows.Any(x => x.StartsWith("ALLOW_", StringComparison.Ordinal));
        var allowed = flow switch
        {
            "USER_SRP_AUTH" => flows.Contains("ALLOW_USER_SRP_AUTH") || (legacy && !flows.Contains("CUSTOM_AUTH_FLOW_ONLY")),
            "REFRESH_TOKEN_AUTH" => flows.Contains("ALLOW_REFRESH_TOKEN_AUTH") || legacy,
            "USER_PASSWORD_AUTH" => flows.Contains("ALLOW_USER_PASSWORD_AUTH") || flows.Contains("USER_PASSWORD_AUTH"),
            "ADMIN_USER_PASSWORD_AUTH" or "ADMIN_NO_SRP_AUTH" => flows.Contains("ALLOW_ADMIN_USER_PASSWORD_AUTH") || flows.Contains("ADMIN_NO_SRP_AUTH"),
            "CUSTOM_AUTH" => flows.Contains("ALLOW_CUSTOM_AUTH") || flows.Contains("CUSTOM_AUTH_FLOW_ONLY"),
            "USER_AUTH" => flows.Contains("ALLOW_USER_AUTH"),
            _ => false,
        };
        if (allowed) return;
        throw new InvalidParameterException(flow switch
        {
            "USER_PASSWORD_AUTH" => "USER_PASSWORD_AUTH flow not enabled for this client",
            "USER_SRP_AUTH" => "USER_SRP_AUTH is not enabled for the client.",
            _ => "Auth flow not enabled for this client",
        });
    }

    static int SessionMinutes(CallingClient caller) => caller.Client.Settings.AuthSessionValidity ?? 3;

    static AuthStep Challenge(string name, string? session, Dictionary<string, string> parameters) => new(name, session, parameters, null);

    /// <summary>The parameters without null values (clients send e.g. DEVICE_KEY: null).</summary>
    static Dictionary<string, string> Parameters(Dictionary<string, string>? values) =>
        (values ?? []).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);

    static string Required(IReadOnlyDictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : throw new InvalidParameterException($"Missing required parameter {name}");
}
