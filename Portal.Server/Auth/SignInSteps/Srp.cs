using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

sealed record SrpState(string Username, string SrpA, string SaltHex, string PrivateB, string SrpB, bool Unknown, string? Sub)
{
    /// <summary>A PASSWORD_VERIFIER inside CUSTOM_AUTH: the custom rounds so far, continued once the password is proven.</summary>
    public CustomSrp? Custom { get; init; }
}

sealed record CustomSrp(List<ChallengeResult> Rounds, DateTimeOffset Started);

/// <summary>The start of an SRP sign-in (USER_SRP_AUTH, USER_AUTH's PASSWORD_SRP, CUSTOM_AUTH's PASSWORD_VERIFIER): the
/// PASSWORD_VERIFIER challenge, alike for unknown names.</summary>
public sealed class SrpStep(PortalDb db, UserStore users, AuthSessions sessions, UnknownUsers unknown, UnknownUserFailures unknownFailures,
    SignInLockout lockout, UserTriggers triggers)
{
    public Task<AuthStep> Start(SignInContext ctx, IReadOnlyDictionary<string, string> p, CancellationToken ct) => Start(ctx, p, null, ct);

    internal async Task<AuthStep> Start(SignInContext ctx, IReadOnlyDictionary<string, string> p, CustomSrp? custom, CancellationToken ct)
    {
        var username = Steps.Required(p, "USERNAME");
        var srpA = Steps.Required(p, "SRP_A");
        if (!Srp.TryParseHex(srpA, out var a) || (a % Srp.N).IsZero) throw InvalidParameterException.InvalidSrpA();
        ctx.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), username);
        var user = await users.Find(ctx.Pool, username, ct);

        string userIdForSrp, saltHex, verifierHex;
        if (user is not null && user.SrpVerifier?.Split(':') is [var salt, var verifier])
        {
            if (lockout.IsLocked(user)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
            if (user.Status == UserStatus.ResetRequired) throw PasswordResetRequiredException.ForUser();
            // Inside CUSTOM_AUTH the pre authentication trigger already ran when the flow started.
            if (custom is null) await triggers.PreAuthentication(ctx.Pool, user, username, ctx.ClientId, ctx.Metadata, ct);
            (userIdForSrp, saltHex, verifierHex) = (user.Username, salt, verifier);
        }
        else
        {
            if (user is null && !ctx.PreventsUserExistenceErrors) throw UserNotFoundException.DoesNotExist();
            // An unknown name is locked out as a known one would be, so the lockout does not tell who exists.
            if (user is null && unknownFailures.IsLocked(ctx.Pool.Row.Id, username)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
            // A challenge like a real one (stable salt per name, random B), so the answer cannot tell who exists.
            (userIdForSrp, saltHex, verifierHex) = (user?.Username ?? username, await unknown.Salt(ctx.Pool.Row.Id, username, ct), unknown.Verifier());
        }

        var server = Srp.Start(verifierHex);
        var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var state = new SrpState(userIdForSrp, srpA, saltHex, server.PrivateB, server.SrpB, user?.SrpVerifier is null, user?.Sub) { Custom = custom };
        // The SECRET_BLOCK is the session: clients answer with it as PASSWORD_CLAIM_SECRET_BLOCK.
        await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user?.Sub, ChallengeName.PasswordVerifier, state, ctx.SessionMinutes, ct, value: secretBlock);
        await db.SaveChangesAsync(ct);
        return Steps.Challenge(ChallengeName.PasswordVerifier, null, new()
        {
            ["SALT"] = saltHex, ["SECRET_BLOCK"] = secretBlock, ["SRP_B"] = server.SrpB,
            ["USERNAME"] = userIdForSrp, ["USER_ID_FOR_SRP"] = userIdForSrp,
        });
    }
}

/// <summary>PASSWORD_VERIFIER: the SRP password claim, checked against the challenge's session (the SECRET_BLOCK).</summary>
public sealed class PasswordVerifierResponder(PortalDb db, UserStore users, AuthSessions sessions, UnknownUserFailures unknownFailures,
    SignInLockout lockout, PasswordStep password, CustomAuthStep custom) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.PasswordVerifier];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var secretBlock = Steps.Required(r, "PASSWORD_CLAIM_SECRET_BLOCK");
        var signature = Steps.Required(r, "PASSWORD_CLAIM_SIGNATURE");
        var timestamp = Steps.Required(r, "TIMESTAMP");
        var username = Steps.Required(r, "USERNAME");
        if (!Srp.TryParseTimestamp(timestamp, out _))
            throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in English.");
        // The secret block issued with the challenge is the session (the client may also echo a Session; it is not needed).
        var (_, state) = await sessions.Take<SrpState>(secretBlock, ctx.ClientId, ChallengeName.PasswordVerifier, ct);

        var user = state.Sub is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct);
        // The answer may name the user by USER_ID_FOR_SRP or by the name they signed in with.
        var named = user is not null && (username == user.Username || (await users.Find(ctx.Pool, username, ct))?.Sub == user.Sub);
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), username, state.Username);
        if (user is null || state.Unknown || !named)
        {
            if (state.Sub is null && !unknownFailures.Begin(ctx.Pool.Row.Id, state.Username))
            {
                await db.SaveChangesAsync(ct);
                throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
            }
            // The same work as checking a real claim, so the answer takes as long.
            _ = Srp.VerifyPasswordClaim(ctx.Pool.Row.Id, state.Username, state.SaltHex, state.SrpB, state.SrpA, state.PrivateB, state.SrpB,
                secretBlock, timestamp, signature);
            await db.SaveChangesAsync(ct);
            throw NotAuthorizedException.IncorrectPassword();
        }

        if (await lockout.Begin(user, ct) is not { } attempt)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        }
        var verifier = user.SrpVerifier?.Split(':');
        var proven = verifier is [var salt, var v] && salt == state.SaltHex
                     && Srp.VerifyPasswordClaim(ctx.Pool.Row.Id, state.Username, salt, v, state.SrpA, state.PrivateB, state.SrpB,
                         secretBlock, timestamp, signature);
        if (state.Custom is { } rounds)
        {
            // CUSTOM_AUTH with SRP: a wrong password ends the flow; a proven one is a round the define trigger sees.
            if (!proven) return await password.After(ctx, user, proven, attempt, ct);
            await lockout.Proven(user, attempt, ct);
            return await custom.Next(ctx, user, user.Username, [.. rounds.Rounds, new ChallengeResult(ChallengeName.PasswordVerifier, true, null)],
                rounds.Started, ct);
        }
        return await password.After(ctx, user, proven, attempt, ct);
    }
}
