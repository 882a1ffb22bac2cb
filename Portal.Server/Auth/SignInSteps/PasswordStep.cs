using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>
/// A password sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH's PASSWORD, the hosted login form): the
/// user migration trigger for a name the pool does not know, the same work for unknown names as for known ones, the
/// lockout counted before the check, the pre authentication trigger, then what the user's state asks for.
/// </summary>
public sealed class PasswordStep(PortalDb db, UserStore users, Credentials credentials, UnknownUsers unknown, UnknownUserFailures unknownFailures,
    SignInLockout lockout, UserTriggers triggers, UserMigration migration, AuthEvents events, NewPasswordStep newPassword, SecondFactorStep secondFactor,
    ThreatProtection.CompromisedCredentials compromised, ThreatProtection.AdaptiveAuthentication adaptive, TimeProvider clock)
{
    public async Task<AuthStep> Check(SignInContext ctx, string username, string password, string? secretHash, CancellationToken ct)
    {
        var user = await users.Find(ctx.Pool, username, ct);
        ctx.CheckSecretHash(secretHash, username, user?.Username);
        // A name the pool does not know may be a user of the old directory: the migration trigger vouches with the password.
        if (user is null && UserMigration.Configured(ctx.Pool))
        {
            try
            {
                user = await migration.Migrate(ctx.Pool, ctx.ClientId, username, password, ctx.Metadata, ctx.Metadata, ct);
            }
            catch (UserNotFoundException) when (ctx.PreventsUserExistenceErrors)
            {
                // Not in the old directory either: answered as any unknown name is.
                user = null;
            }
        }
        if (user is null || (ctx.Hosted && user.Status == UserStatus.ExternalProvider))
        {
            if (ctx.PreventsUserExistenceErrors)
            {
                // Counted and locked as a known name would be, so the lockout's answers do not tell who exists.
                if (unknownFailures.IsLocked(ctx.Pool.Row.Id, username)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
                if (user is null) await triggers.PreAuthentication(ctx.Pool, null, username, ctx.ClientId, ctx.Metadata, ct);
                if (!unknownFailures.Begin(ctx.Pool.Row.Id, username)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
            }
            // The same work as checking a real password, so the answer takes as long.
            await unknown.SpendPasswordCheck(password, ct);
            throw ctx.PreventsUserExistenceErrors ? NotAuthorizedException.IncorrectPassword() : UserNotFoundException.DoesNotExist();
        }
        if (lockout.IsLocked(user)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        if (user.Status == UserStatus.ResetRequired)
        {
            // A migrated user who must reset is kept, so ForgotPassword finds them.
            if (db.Entry(user).State == EntityState.Added) await db.SaveChangesAsync(ct);
            throw PasswordResetRequiredException.ForUser();
        }
        await triggers.PreAuthentication(ctx.Pool, user, username, ctx.ClientId, ctx.Metadata, ct);
        var attempt = await lockout.Begin(user, ct) ?? throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        var proven = await credentials.Verify(user, password, ct);
        if (proven) await credentials.Rehash(user, password, ct);
        return await After(ctx, user, proven, attempt, ct, password);
    }

    /// <summary>The password is proven or not: count the failure (and lock), or go on to the user's state and the tokens.
    /// <paramref name="password"/> is the one shown when the server saw it (not with SRP): it is checked for compromise.</summary>
    public async Task<AuthStep> After(SignInContext ctx, UserRow user, bool proven, SignInLockout.Attempt attempt, CancellationToken ct, string? password = null)
    {
        var now = clock.GetUtcNow();
        if (!proven)
        {
            // Already counted (and locked, at the limit) before the check.
            events.Add(ctx.Pool, user, "SignIn", "Fail", ctx.ClientId, ("Password", false));
            await db.SaveChangesAsync(ct);
            throw NotAuthorizedException.IncorrectPassword();
        }
        await lockout.Proven(user, attempt, ct);
        if (user.Enabled && user.Status is not (UserStatus.Unconfirmed or UserStatus.ResetRequired))
            await compromised.SignIn(ctx.Pool, ctx.ClientId, user, password, ct);
        if (!user.Enabled || user.Status is UserStatus.Unconfirmed or UserStatus.ResetRequired)
        {
            events.Add(ctx.Pool, user, "SignIn", "Fail", ctx.ClientId, ("Password", true));
            await db.SaveChangesAsync(ct);
            throw !user.Enabled ? NotAuthorizedException.UserDisabled()
                : user.Status == UserStatus.Unconfirmed ? UserNotConfirmedException.ForUser()
                : PasswordResetRequiredException.ForUser();
        }
        // Adaptive authentication: the risk of this sign-in, recorded, and acted on (blocked here, or an MFA challenge).
        var riskFactor = await adaptive.Assess(ctx, user, ct);
        if (user.Status == UserStatus.ForceChangePassword)
        {
            events.Add(ctx.Pool, user, "SignIn", "InProgress", ctx.ClientId, ("Password", true));
            return await newPassword.Start(ctx, user, now, ct);
        }
        return await secondFactor.Begin(ctx, user, now, ct, riskFactor: riskFactor);
    }
}
