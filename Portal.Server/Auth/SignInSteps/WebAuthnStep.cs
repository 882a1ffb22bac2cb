using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth.Passkeys;
using Portal.Server.Storage;
using Portal.Server.Triggers;

namespace Portal.Server.Auth;

/// <summary>The state of a WEB_AUTHN session: the user asked about (none for a discoverable passkey sign-in) and the
/// request options issued, whose challenge the assertion must sign.</summary>
sealed record WebAuthnState(string? Sub, string Options);

/// <summary>WEB_AUTHN as a first factor (USER_AUTH's PREFERRED_CHALLENGE or SELECT_CHALLENGE's answer, the hosted UI's
/// "sign in with a passkey"): request options for the user's passkeys, kept with the session.</summary>
public sealed class WebAuthnStep(PortalDb db, AuthSessions sessions, SignInLockout lockout, UserTriggers triggers, Passkeys.Passkeys passkeys,
    Passkeys.DiscoverableChallenges discoverable)
{
    public const string Challenge = Passkeys.Passkeys.FirstFactor;

    public async Task<AuthStep> Start(SignInContext ctx, UserRow user, string username, CancellationToken ct)
    {
        if (lockout.IsLocked(user)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        if (user.Status == UserStatus.Unconfirmed) throw UserNotConfirmedException.ForUser();
        await triggers.PreAuthentication(ctx.Pool, user, username, ctx.ClientId, ctx.Metadata, ct);
        // A user with passkey MFA signs in only with a verified passkey (biometrics or PIN).
        var options = await passkeys.RequestOptions(ctx.Pool, user, Mfa.Read(user).WebAuthnMfa, ct);
        var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, Challenge, new WebAuthnState(user.Sub, options), ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        return Steps.Challenge(Challenge, session, new() { ["CREDENTIAL_REQUEST_OPTIONS"] = options, ["USERNAME"] = user.Username });
    }

    /// <summary>A passkey sign-in that names no user (the hosted UI's passkey button and the browser's autofill): the
    /// authenticator offers the discoverable passkeys it holds for the relying party. Every view of the login page starts
    /// one, so its session is stateless (<see cref="Passkeys.DiscoverableChallenges"/>): nothing is written until it answers.</summary>
    public async Task<AuthStep> StartDiscoverable(SignInContext ctx, CancellationToken ct)
    {
        if (!Passkeys.Passkeys.Enabled(ctx.Pool)) throw new WebAuthnNotEnabledException("Passkeys are not enabled for this user pool.");
        var options = await passkeys.RequestOptions(ctx.Pool, null, false, ct);
        var session = discoverable.Issue(ctx.Pool.Row.Id, ctx.ClientId, options, ctx.SessionMinutes);
        return Steps.Challenge(Challenge, session, new() { ["CREDENTIAL_REQUEST_OPTIONS"] = options });
    }
}

/// <summary>WEB_AUTHN answered with the assertion (CREDENTIAL, AuthenticationResponseJSON). A failed assertion counts
/// toward the lockout as a wrong password does, and uses the session up. A passkey verified with biometrics or PIN
/// satisfies MFA when the pool's FactorConfiguration is MULTI_FACTOR_WITH_USER_VERIFICATION; otherwise the pool's MFA
/// follows as after a password.</summary>
public sealed class WebAuthnResponder(PortalDb db, AuthSessions sessions, SignInLockout lockout, AuthEvents events, Passkeys.Passkeys passkeys,
    Passkeys.DiscoverableChallenges discoverable, SecondFactorStep secondFactor, SignInCompletion completion, TimeProvider clock) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [WebAuthnStep.Challenge];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var credential = Steps.Required(r, "CREDENTIAL");
        var state = await Take(ctx, session, ct);
        var sub = state.Sub ?? await passkeys.OwnerOf(ctx.Pool, credential, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == sub && u.UserPoolId == ctx.Pool.Row.Id, ct) ?? throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        if (await lockout.Begin(user, ct) is not { } attempt)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        }
        Passkeys.Passkeys.Assertion assertion;
        try
        {
            assertion = await passkeys.Verify(ctx.Pool, user.Sub, state.Options, credential, ct);
        }
        catch (CognitoException)
        {
            // Already counted toward the lockout above.
            events.Add(ctx.Pool, user, "SignIn", "Fail", ctx.ClientId, (WebAuthnStep.Challenge, false));
            await db.SaveChangesAsync(ct);
            throw;
        }
        await lockout.Proven(user, attempt, ct);
        if (!user.Enabled || user.Status == UserStatus.Unconfirmed)
        {
            await db.SaveChangesAsync(ct);
            throw !user.Enabled ? NotAuthorizedException.UserDisabled() : UserNotConfirmedException.ForUser();
        }
        var now = clock.GetUtcNow();
        var policy = await passkeys.Policy(ctx.Pool, ct);
        if (policy.MultiFactor && assertion.UserVerified)
            return await completion.Complete(ctx, user, now, ct, kind: SignInKind.Code, mfaPassed: true);
        return await secondFactor.Begin(ctx, user, now, ct, kind: SignInKind.Code);
    }

    /// <summary>The session's state, the session used up whatever the outcome: a stored one deleted, a stateless one
    /// (a discoverable sign-in's) marked used.</summary>
    async Task<WebAuthnState> Take(SignInContext ctx, string? session, CancellationToken ct)
    {
        if (Passkeys.DiscoverableChallenges.Carries(session))
            return new WebAuthnState(null, await discoverable.Redeem(session!, ctx.Pool.Row.Id, ctx.ClientId, ct));
        var (row, state) = await sessions.Take<WebAuthnState>(session, ctx.ClientId, WebAuthnStep.Challenge, ct);
        db.Work.IfFailed(c => db.AuthSessions.Where(s => s.Id == row.Id).ExecuteDeleteAsync(c));
        return state;
    }
}
