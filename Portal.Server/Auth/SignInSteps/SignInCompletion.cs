using Portal.Server.Storage;
using Portal.Server.Triggers;

namespace Portal.Server.Auth;

/// <summary>The last step of every sign-in: the user is who they say and may sign in. Post authentication trigger, the
/// lockout forgotten, the auth event, and the tokens (the hosted UI takes the user and issues its own code).</summary>
public sealed class SignInCompletion(PortalDb db, Tokens tokens, SignInLockout lockout, UserTriggers triggers, AuthEvents events,
    ThreatProtection.AdaptiveAuthentication adaptive, Devices devices)
{
    public async Task<AuthStep> Complete(SignInContext ctx, UserRow user, DateTimeOffset authTime, CancellationToken ct,
        string tokenSource = "TokenGeneration_Authentication", SignInKind kind = SignInKind.Password, bool mfaPassed = false)
    {
        // A sign-in proven without a password (custom challenges, a one-time code, a passkey) gets its risk here, once:
        // password sign-ins were assessed when the password was proven, before their MFA.
        if (kind is SignInKind.Custom or SignInKind.Code) await adaptive.Assess(ctx, user, kind, ct);
        await triggers.PostAuthentication(ctx.Pool, user, ctx.ClientId, ctx.Metadata, ct);
        // Only a whole sign-in forgets failures: a right password alone does not buy fresh guesses at the second factor.
        await lockout.Succeeded(user, ct);
        if (kind == SignInKind.NewPassword) await events.Passed(ctx.Pool, user, ct);
        else if (kind is SignInKind.Custom or SignInKind.Code) await events.SignedIn(ctx.Pool, user, ctx.ClientId, ct);
        else if (mfaPassed) await events.SignedIn(ctx.Pool, user, ctx.ClientId, ct, ("Password", true), ("Mfa", true));
        else await events.SignedIn(ctx.Pool, user, ctx.ClientId, ct, ("Password", true));
        // The risk notification of this sign-in (adaptive authentication), with the links to its event.
        await adaptive.Completed(ctx, user, ct);
        if (ctx.Hosted)
        {
            var browser = await devices.RememberBrowser(ctx, user, mfaPassed, ct);
            await db.SaveChangesAsync(ct);
            return new AuthStep(null, null, [], null) { SignedIn = user, AuthTime = authTime, BrowserDevice = browser };
        }
        var grant = new TokenGrant(ctx.Pool, ctx.Client, user, authTime, [Tokens.AdminScope])
        {
            TriggerSource = tokenSource, ClientMetadata = ctx.Metadata,
        };
        var result = await devices.Attach(ctx, user, await tokens.Issue(grant, ct), ct);
        await Save(ct);
        return new AuthStep(null, null, [], result) { SignedIn = user, AuthTime = authTime };
    }

    /// <summary>An API sign-in's rows (its auth event, the refresh token) in the operation's transaction, without the
    /// SAVEPOINT / RELEASE pair EF wraps around a save of two or more commands there: every caller lets this save's
    /// failure reach the dispatcher, which rolls the whole operation back, so the savepoint's partial rollback is never
    /// used. (The hosted UI's pages catch the engine's errors to answer with a page: their save keeps it.)</summary>
    async Task Save(CancellationToken ct)
    {
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }
}
