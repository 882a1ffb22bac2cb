using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>SMS_MFA, SOFTWARE_TOKEN_MFA and email MFA (EMAIL_OTP after the password): the second factor's code.</summary>
public sealed class MfaCodeResponder(PortalDb db, AuthSessions sessions, SignInLockout lockout, AuthEvents events, MfaCodes codes,
    SignInCompletion completion, ThreatProtection.RiskRecord risk) : IChallengeResponder
{
    /// <summary>Wrong codes one MFA session takes before it ends (the lockout bounds the user's guesses across sessions).</summary>
    public const int CodesPerSession = 3;

    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.SmsMfa, ChallengeName.SoftwareTokenMfa, SecondFactorStep.MfaEmailSession];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var factor = challenge == SecondFactorStep.MfaEmailSession ? Mfa.Email : challenge;
        var code = Steps.Required(r, factor + "_CODE");
        var (row, state) = await sessions.Take<MfaState>(session, ctx.ClientId, SecondFactorStep.SessionChallenge(factor), ct);
        risk.Restore(state.Risk);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        // Counted before the code is checked, as a password is: parallel guesses cannot pass the lockout.
        if (await lockout.Begin(user, ct) is not { } attempt)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        }
        var right = await codes.Check(user, factor, passwordless: false, code, ct);
        if (!right)
        {
            // A wrong code may be tried again with the same session, a few times; wrong codes count toward the lockout
            // as wrong passwords do (already counted above).
            if (state.WrongCodes + 1 < CodesPerSession)
            {
                db.Entry(row).State = EntityState.Modified;
                row.State = JsonSerializer.Serialize(state with { WrongCodes = state.WrongCodes + 1 });
            }
            events.Add(ctx.Pool, user, "SignIn", "Fail", ctx.ClientId, ("Password", true), ("Mfa", false));
            await db.SaveChangesAsync(ct);
            throw new CodeMismatchException("Invalid code received for user");
        }
        await lockout.Proven(user, attempt, ct);
        if (!user.Enabled)
        {
            await db.SaveChangesAsync(ct);
            throw NotAuthorizedException.UserDisabled();
        }
        return await completion.Complete(ctx, user, state.AuthTime, ct, state.TokenSource, state.Kind, mfaPassed: true);
    }
}

/// <summary>SELECT_MFA_TYPE: the factor the user chose; its challenge follows.</summary>
public sealed class SelectMfaTypeResponder(PortalDb db, AuthSessions sessions, SecondFactorStep secondFactor) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.SelectMfaType];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Steps.Required(r, "ANSWER");
        var (row, state) = await sessions.Take<MfaState>(session, ctx.ClientId, ChallengeName.SelectMfaType, ct);
        if (state.Choices?.Contains(answer) != true)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new InvalidParameterException($"Invalid ANSWER value: {answer}. Choose one of {string.Join(", ", state.Choices ?? [])}.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        return await secondFactor.Start(ctx, user, answer, state with { Choices = null }, ct);
    }
}

/// <summary>MFA_SETUP: the user adds an authenticator while signing in (AssociateSoftwareToken and VerifySoftwareToken with
/// the session), then answers MFA_SETUP with the session VerifySoftwareToken returned.</summary>
public sealed class MfaSetupResponder(PortalDb db, AuthSessions sessions, Mfa mfa, SignInCompletion completion, TimeProvider clock) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.MfaSetup];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var (row, state) = await sessions.Take<MfaState>(session, ctx.ClientId, ChallengeName.MfaSetup, ct);
        if (!state.Verified)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new InvalidParameterException(
                "No authenticator is set up yet: call AssociateSoftwareToken and VerifySoftwareToken with this session, then answer MFA_SETUP with the session VerifySoftwareToken returned.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        Mfa.SetPreference(Mfa.Of(ctx.Pool), user, null, new SoftwareTokenMfaSettingsType { Enabled = true, PreferredMfa = true }, null);
        return await completion.Complete(ctx, user, state.AuthTime, ct, state.TokenSource, state.Kind, mfaPassed: true);
    }

    /// <summary>AssociateSoftwareToken with an MFA_SETUP session: a new secret for the user to add to their authenticator.</summary>
    public async Task<(string SecretCode, string Session)> Associate(string? session, CancellationToken ct)
    {
        var (row, state) = await sessions.TakeAny<MfaState>(session, ChallengeName.MfaSetup, ct);
        var (secret, protectedSecret) = mfa.NewSecret();
        var next = sessions.Continue(row, ChallengeName.MfaSetup, state with { PendingSecret = protectedSecret, Verified = false });
        await db.SaveChangesAsync(ct);
        return (secret, next);
    }

    /// <summary>VerifySoftwareToken with an MFA_SETUP session: the authenticator's code proves the secret was added; the
    /// user's authenticator is registered and the next session answers MFA_SETUP.</summary>
    public async Task<string> Verify(string? session, string? code, string? deviceName, CancellationToken ct)
    {
        var (row, state) = await sessions.TakeAny<MfaState>(session, ChallengeName.MfaSetup, ct);
        if (state.PendingSecret is null)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw new SoftwareTokenMFANotFoundException("Software token MFA has not been associated: call AssociateSoftwareToken with this session first.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw NotAuthorizedException.InvalidSession();
        var step = mfa.Match(state.PendingSecret, code);
        if (step is null)
        {
            db.Entry(row).State = EntityState.Unchanged;
            throw EnableSoftwareTokenMFAException.CodeMismatch();
        }
        Mfa.Register(user, state.PendingSecret, step.Value, deviceName);
        user.LastModifiedAt = clock.GetUtcNow();
        var next = sessions.Continue(row, ChallengeName.MfaSetup, state with { PendingSecret = null, Verified = true });
        await db.SaveChangesAsync(ct);
        return next;
    }
}
