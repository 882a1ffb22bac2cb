using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>Password sign-in for the hosted pages: the user's state decides what comes next
/// (signed in, confirm the account, choose a new password, reset it), and failures slow down.</summary>
public sealed class HostedSignIn(PortalDb db, UserStore users, Credentials credentials, SignInLockout lockout, UserTriggers triggers,
    UserMigration migration, AuthEvents events, Mfa mfa, Codes codes, Messages messages, UnknownUsers unknown, UnknownUserFailures unknownFailures, TimeProvider clock)
{
    public enum Outcome { Signed, NotConfirmed, NewPasswordRequired, ResetRequired, Failed, Mfa }

    public sealed record Result(Outcome Kind, UserRow? User = null, string? Message = null, string? Session = null, string? Field = null,
        MfaPrompt? Prompt = null);

    /// <summary>What the MFA page asks: a choice of factor, a code (from the authenticator, or sent to Destination), or the
    /// setup of an authenticator (its secret, for the QR code and to type in).</summary>
    public sealed record MfaPrompt(string? Factor, IReadOnlyList<string> Choices, string? Destination, string? SecretCode, string Username)
    {
        public bool Setup => SecretCode is not null;
        /// <summary>A one-time code instead of the password (EMAIL_OTP / SMS_OTP first factors), not a second factor.</summary>
        public bool Passwordless { get; init; }
    }

    /// <summary>The passwordless factors the login page offers: those the pool's sign-in policy allows, for a client that
    /// may use choice-based sign-in (ALLOW_USER_AUTH), as Cognito's managed login does.</summary>
    public static IReadOnlyList<string> CodeFactors(UserPoolStore.Pool pool, AppClientStore.Client? client)
    {
        if (client?.Settings.ExplicitAuthFlows?.Contains("ALLOW_USER_AUTH") != true) return [];
        var allowed = pool.Settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
        return CodeFactorNames.Where(allowed.Contains).ToList();
    }

    static readonly string[] CodeFactorNames = ["EMAIL_OTP", "SMS_OTP"];

    /// <summary>
    /// Passwordless sign-in from the login page: an 8-digit code, good for 3 minutes, to the user's verified email or phone
    /// number. An account that cannot get one (unknown, not confirmed, disabled, no verified address) gets the same answer
    /// whichever it is.
    /// </summary>
    public async Task<Result> WithCode(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string factor, CancellationToken ct)
    {
        const string NoCode = "We can't send a sign-in code for this account. Sign in with your password.";
        if (!CodeFactors(pool, client).Contains(factor)) return new(Outcome.Failed, Message: NoCode);
        var user = await users.Find(pool, username, ct);
        var attribute = factor == "EMAIL_OTP" ? "email" : "phone_number";
        var attributes = user is null ? [] : UserStore.Attributes(user);
        if (user is null || !user.Enabled || user.Status != "CONFIRMED" || attributes.GetValueOrDefault(attribute + "_verified") != "true"
            || string.IsNullOrEmpty(attributes.GetValueOrDefault(attribute)))
            return new(Outcome.Failed, Message: NoCode);
        if (lockout.IsLocked(user)) return new(Outcome.Failed, Message: TooManyFailures);
        try
        {
            await triggers.PreAuthentication(pool, user, username, client.Row.ClientId, null, ct);
        }
        catch (UserLambdaValidationException e)
        {
            return new(Outcome.Failed, Message: e.Message);
        }
        var code = await codes.Issue(user, CodePurpose.SignIn(factor), Mfa.CodeLifetime, ct, digits: 8);
        var delivery = messages.SendAuthenticationCode(pool, user, attribute, attributes[attribute], code, client.Row.ClientId, null);
        await messages.Customize(ct);
        var state = new MfaState(factor, null, null, delivery.Destination) { Passwordless = true };
        var session = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        db.AuthSessions.Add(new AuthSessionRow
        {
            Id = Hash(session), UserPoolId = pool.Row.Id, ClientId = client.Row.ClientId, UserSub = user.Sub, ChallengeName = MfaChallenge,
            ExpiresAt = clock.GetUtcNow() + MfaLifetime, State = JsonSerializer.Serialize(state),
        });
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new(Outcome.Mfa, user, Session: session, Prompt: Prompt(user, state));
    }

    const string WrongPassword = "Incorrect username or password.";
    const string TooManyFailures = "Too many failed attempts. Wait a few minutes, then try again.";
    static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(3);

    public async Task<Result> WithPassword(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string password, CancellationToken ct)
    {
        try
        {
            return await Authenticate(pool, client, username, password, ct);
        }
        catch (UserLambdaValidationException e)
        {
            // A pre/post authentication or migration function refused: its message is what Cognito's hosted UI shows.
            return new(Outcome.Failed, Message: e.Message);
        }
    }

    async Task<Result> Authenticate(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string password, CancellationToken ct)
    {
        var clientId = client.Row.ClientId;
        var user = await users.Find(pool, username, ct);
        // A name the pool does not know may be a user of the old directory: the migration trigger vouches with the password.
        if (user is null && UserMigration.Configured(pool))
        {
            try { user = await migration.Migrate(pool, clientId, username, password, null, null, ct); }
            catch (UserNotFoundException) { user = null; }
            if (user is { Status: "RESET_REQUIRED" })
            {
                await db.SaveChangesAsync(ct);
                return new(Outcome.ResetRequired, user);
            }
        }
        if (user is null || user.Status == "EXTERNAL_PROVIDER")
        {
            // Locked out as a known name would be, and the same work as checking a real password, so neither the answer
            // nor its timing tells who has an account.
            if (!unknownFailures.Begin(pool.Row.Id, username)) return new(Outcome.Failed, Message: TooManyFailures);
            unknown.SpendPasswordCheck(password);
            return new(Outcome.Failed, Message: WrongPassword);
        }
        if (lockout.IsLocked(user)) return new(Outcome.Failed, Message: TooManyFailures);
        await triggers.PreAuthentication(pool, user, username, clientId, null, ct);
        // Counted before the check, so parallel guesses cannot pass the lockout.
        if (await lockout.Begin(user, ct) is not { } attempt) return new(Outcome.Failed, Message: TooManyFailures);
        if (!credentials.Verify(user, password))
        {
            events.Add(pool, user, "SignIn", "Fail", clientId, ("Password", false));
            await db.SaveChangesAsync(ct);
            return new(Outcome.Failed, Message: WrongPassword);
        }
        if (!user.Enabled)
        {
            if (events.Add(pool, user, "SignIn", "Fail", clientId, ("Password", true)) is not null) await db.SaveChangesAsync(ct);
            return new(Outcome.Failed, Message: "Your account is disabled. Contact the app's support.");
        }
        await lockout.Proven(user, attempt, ct);
        if (user.Status is "CONFIRMED" && Mfa.Decide(Mfa.Of(pool), user) is not Mfa.NoMfa and var step)
            return await StartMfa(pool, client, user, step, ct);
        if (user.Status is "CONFIRMED")
        {
            await lockout.Succeeded(user, ct);
            await triggers.PostAuthentication(pool, user, clientId, null, ct);
            await events.SignedIn(pool, user, clientId, ct, ("Password", true));
        }
        else events.Add(pool, user, "SignIn", user.Status == "FORCE_CHANGE_PASSWORD" ? "InProgress" : "Fail", clientId, ("Password", true));
        await db.SaveChangesAsync(ct);
        return user.Status switch
        {
            "UNCONFIRMED" => new(Outcome.NotConfirmed, user),
            "RESET_REQUIRED" => new(Outcome.ResetRequired, user),
            "FORCE_CHANGE_PASSWORD" => new(Outcome.NewPasswordRequired, user, Session: await StartNewPassword(pool, client, user, ct)),
            _ => new(Outcome.Signed, user),
        };
    }

    async Task<string> StartNewPassword(UserPoolStore.Pool pool, AppClientStore.Client client, UserRow user, CancellationToken ct)
    {
        var session = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        db.AuthSessions.Add(new AuthSessionRow
        {
            Id = Hash(session), UserPoolId = pool.Row.Id, ClientId = client.Row.ClientId, UserSub = user.Sub,
            ChallengeName = "HOSTED_NEW_PASSWORD_REQUIRED", ExpiresAt = clock.GetUtcNow() + SessionLifetime,
        });
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>Required attributes the user of a new-password session has no value for yet.</summary>
    public async Task<IReadOnlyList<string>> MissingAttributes(UserPoolStore.Pool pool, string session, CancellationToken ct)
    {
        var row = await db.AuthSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == Hash(session), ct);
        var user = row?.UserSub is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == row.UserSub, ct);
        if (user is null) return [];
        var values = UserStore.Attributes(user);
        return (pool.Settings.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name != "sub" && !values.ContainsKey(a.Name!))
            .Select(a => a.Name!).ToList();
    }

    public async Task<Result> CompleteNewPassword(UserPoolStore.Pool pool, AppClientStore.Client client, string session, string password,
        IReadOnlyDictionary<string, string> attributes, CancellationToken ct)
    {
        var row = await db.AuthSessions.FirstOrDefaultAsync(s => s.Id == Hash(session), ct);
        if (row is null || row.ChallengeName != "HOSTED_NEW_PASSWORD_REQUIRED" || row.ClientId != client.Row.ClientId || row.ExpiresAt < clock.GetUtcNow())
            return new(Outcome.Failed, Message: "Your sign-in took too long. Sign in again to choose your new password.");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == row.UserSub, ct);
        if (user is null) return new(Outcome.Failed, Message: WrongPassword);
        try
        {
            var given = attributes.Where(a => a.Value.Length > 0).Select(a => new AttributeType { Name = a.Key, Value = a.Value }).ToList();
            AttributeRules.CheckWritable(pool.Settings, given, creating: false);
            UserStore.SetAttributes(user, given.Select(a => new KeyValuePair<string, string?>(a.Name!, a.Value)));
            AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(user));
            credentials.SetPassword(pool, user, password);
        }
        catch (InvalidPasswordException e)
        {
            return new(Outcome.Failed, Message: e.Message.Replace("Password did not conform with policy: ", ""), Session: session, Field: "password");
        }
        catch (InvalidParameterException e)
        {
            return new(Outcome.Failed, Message: e.Message, Session: session, Field: attributes.Keys.FirstOrDefault(k => e.Message.Contains(k)) ?? "password");
        }
        user.Status = "CONFIRMED";
        db.AuthSessions.Remove(row);
        await events.Passed(pool, user, ct);
        if (Mfa.Decide(Mfa.Of(pool), user) is not Mfa.NoMfa and var step) return await StartMfa(pool, client, user, step, ct);
        await db.SaveChangesAsync(ct);
        return new(Outcome.Signed, user);
    }

    // ---- MFA after the password ----

    const string MfaChallenge = "HOSTED_MFA";

    /// <summary>Long enough to scan a QR code and type a code; a code sent by SMS or email lasts 3 minutes of it.</summary>
    static readonly TimeSpan MfaLifetime = TimeSpan.FromMinutes(10);

    sealed record MfaState(string? Factor, List<string>? Choices, string? PendingSecret, string? Destination)
    {
        public bool Passwordless { get; init; }
        public int WrongCodes { get; init; }
    }

    async Task<Result> StartMfa(UserPoolStore.Pool pool, AppClientStore.Client client, UserRow user, Mfa.Step step, CancellationToken ct)
    {
        MfaState state;
        switch (step)
        {
            case Mfa.Select s:
                state = new MfaState(null, s.Factors, null, null);
                break;
            case Mfa.Setup { Factors.Count: > 0 }:
                state = new MfaState(null, null, mfa.NewSecret().Protected, null);
                break;
            case Mfa.Setup:
                await db.SaveChangesAsync(ct);
                return new(Outcome.Failed, Message: "This app requires a second sign-in step, but your account has no phone number or email address for it. Contact the app's support.");
            default:
                state = new MfaState(((Mfa.Challenge)step).Factor, null, null, null);
                break;
        }
        var session = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var row = new AuthSessionRow
        {
            Id = Hash(session), UserPoolId = pool.Row.Id, ClientId = client.Row.ClientId, UserSub = user.Sub, ChallengeName = MfaChallenge,
            ExpiresAt = clock.GetUtcNow() + MfaLifetime,
        };
        db.AuthSessions.Add(row);
        if (state.Factor is not null) state = await SendCode(pool, client, user, state, ct);
        row.State = JsonSerializer.Serialize(state);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new(Outcome.Mfa, user, Session: session, Prompt: Prompt(user, state));
    }

    /// <summary>For SMS and email, a fresh code on its way (delivered after the caller saves).</summary>
    async Task<MfaState> SendCode(UserPoolStore.Pool pool, AppClientStore.Client client, UserRow user, MfaState state, CancellationToken ct)
    {
        if (state.Factor is not (Mfa.Sms or Mfa.Email)) return state;
        var attribute = state.Factor == Mfa.Sms ? "phone_number" : "email";
        var destination = UserStore.Attributes(user)[attribute];
        var code = await codes.Issue(user, CodePurpose.Mfa(state.Factor), Mfa.CodeLifetime, ct);
        var message = Templates.Mfa(pool.Settings, Mfa.Of(pool).EmailMessage, Channels.Of(attribute), code, user.Username);
        var delivery = messages.SendAuthenticationCode(pool, user, attribute, destination, code, client.Row.ClientId, null, message);
        await messages.Customize(ct);
        return state with { Destination = delivery.Destination };
    }

    /// <summary>The page's prompt; an authenticator lists the account by its email when it has one (in a pool whose users
    /// sign in with their email, the username is an opaque id).</summary>
    MfaPrompt Prompt(UserRow user, MfaState state) =>
        new(state.Factor, state.Choices ?? [], state.Destination, state.PendingSecret is null ? null : mfa.Unprotect(state.PendingSecret),
            user.Email ?? user.Username)
        { Passwordless = state.Passwordless };

    /// <summary>The MFA page's answer: a factor chosen, or a code. A wrong code may be tried again on the same page (and
    /// counts toward the lockout); the right one signs the user in.</summary>
    public async Task<Result> AnswerMfa(UserPoolStore.Pool pool, AppClientStore.Client client, string session, string? choice, string code,
        string? deviceName, CancellationToken ct)
    {
        const string TooLong = "Your sign-in took too long. Sign in again.";
        var row = await db.AuthSessions.FirstOrDefaultAsync(s => s.Id == Hash(session), ct);
        if (row is null || row.ChallengeName != MfaChallenge || row.ClientId != client.Row.ClientId || row.ExpiresAt < clock.GetUtcNow())
            return new(Outcome.Failed, Message: TooLong);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == row.UserSub, ct);
        var state = JsonSerializer.Deserialize<MfaState>(row.State);
        if (user is null || state is null) return new(Outcome.Failed, Message: TooLong);
        if (lockout.IsLocked(user)) return new(Outcome.Failed, Message: TooManyFailures);

        if (state.Choices is { Count: > 0 } choices)
        {
            if (choice is null || !choices.Contains(choice))
                return new(Outcome.Mfa, user, Session: session, Prompt: Prompt(user, state), Message: "Choose how you want to get your code.", Field: "factor");
            state = await SendCode(pool, client, user, state with { Factor = choice, Choices = null }, ct);
            row.State = JsonSerializer.Serialize(state);
            await db.SaveChangesAsync(ct);
            await messages.Deliver(ct);
            return new(Outcome.Mfa, user, Session: session, Prompt: Prompt(user, state));
        }

        // Counted before the code is checked, as a password is: parallel guesses cannot pass the lockout.
        if (await lockout.Begin(user, ct) is null) return new(Outcome.Failed, Message: TooManyFailures);
        var right = false;
        if (state.PendingSecret is not null)
        {
            if (mfa.Match(state.PendingSecret, code) is { } step)
            {
                Mfa.Register(user, state.PendingSecret, step, deviceName);
                Mfa.SetPreference(Mfa.Of(pool), user, null, new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true }, null);
                right = true;
            }
        }
        else if (state.Factor == Mfa.SoftwareToken) right = mfa.VerifyUserCode(user, code);
        else
        {
            try
            {
                await codes.Use(user, state.Passwordless ? CodePurpose.SignIn(state.Factor!) : CodePurpose.Mfa(state.Factor!), code, ct);
                right = true;
            }
            catch (CodeMismatchException) { }
            catch (CognitoException e) when (e is ExpiredCodeException or LimitExceededException)
            {
                db.AuthSessions.Remove(row);
                await db.SaveChangesAsync(ct);
                return new(Outcome.Failed, Message: "That code has expired. Sign in again to get a new one.");
            }
        }
        if (!right)
        {
            // A few wrong codes per session: then the sign-in starts again (the lockout bounds guesses across sessions).
            var ended = state.WrongCodes + 1 >= SignIn.MfaCodesPerSession;
            if (ended) db.AuthSessions.Remove(row);
            else row.State = JsonSerializer.Serialize(state with { WrongCodes = state.WrongCodes + 1 });
            if (state.Passwordless) events.Add(pool, user, "SignIn", "Fail", client.Row.ClientId);
            else events.Add(pool, user, "SignIn", "Fail", client.Row.ClientId, ("Password", true), ("Mfa", false));
            await db.SaveChangesAsync(ct);
            if (ended) return new(Outcome.Failed, Message: "That code is not right, and too many wrong codes were tried. Sign in again.");
            return new(Outcome.Mfa, user, Session: session, Prompt: Prompt(user, state), Message: "That code is not right. Check it and try again.", Field: "code");
        }

        await lockout.Succeeded(user, ct);
        db.AuthSessions.Remove(row);
        user.LastModifiedAt = clock.GetUtcNow();
        await triggers.PostAuthentication(pool, user, client.Row.ClientId, null, ct);
        if (state.Passwordless) await events.SignedIn(pool, user, client.Row.ClientId, ct);
        else await events.SignedIn(pool, user, client.Row.ClientId, ct, ("Password", true), ("Mfa", true));
        await db.SaveChangesAsync(ct);
        return new(Outcome.Signed, user);
    }

    static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
