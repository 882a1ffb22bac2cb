using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Triggers;

namespace Portal.Server.Auth;

sealed record OtpState(string Sub, string Factor);

/// <summary>EMAIL_OTP / SMS_OTP as a first factor (USER_AUTH, the hosted UI's "email me a code"): an 8-digit code to the
/// user's verified address.</summary>
public sealed class OtpStep(PortalDb db, AuthSessions sessions, SignInLockout lockout, UserTriggers triggers, MfaCodes codes)
{
    public async Task<AuthStep> Start(SignInContext ctx, UserRow user, string username, string factor, CancellationToken ct)
    {
        if (lockout.IsLocked(user)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        if (user.Status == UserStatus.Unconfirmed) throw UserNotConfirmedException.ForUser();
        await triggers.PreAuthentication(ctx.Pool, user, username, ctx.ClientId, ctx.Metadata, ct);
        var delivery = await codes.Send(ctx, user, factor, passwordless: true, ct);
        var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, factor, new OtpState(user.Sub, factor), ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        await codes.Deliver(ct);
        return Steps.Challenge(factor, session, new()
        {
            ["CODE_DELIVERY_DELIVERY_MEDIUM"] = delivery.DeliveryMedium!, ["CODE_DELIVERY_DESTINATION"] = delivery.Destination!,
            ["USERNAME"] = user.Username,
        });
    }
}

/// <summary>EMAIL_OTP / SMS_OTP answered with the code sent (a wrong one may be tried again with the same session, until
/// the code's attempts run out).</summary>
public sealed class OtpResponder(PortalDb db, AuthSessions sessions, AuthEvents events, MfaCodes codes, SignInCompletion completion, TimeProvider clock)
    : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.EmailOtp, ChallengeName.SmsOtp];

    public async Task<AuthStep> Respond(SignInContext ctx, string factor, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Steps.Required(r, factor + "_CODE");
        var (row, state) = await sessions.Take<OtpState>(session, ctx.ClientId, factor, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), r.GetValueOrDefault("USERNAME") ?? user.Username, user.Username);
        var right = await codes.Check(user, factor, passwordless: true, answer, ct);
        if (!right)
        {
            db.Entry(row).State = EntityState.Unchanged;
            events.Add(ctx.Pool, user, "SignIn", "Fail", ctx.ClientId);
            await db.SaveChangesAsync(ct);
            throw CodeMismatchException.InvalidCode();
        }
        if (!user.Enabled)
        {
            await db.SaveChangesAsync(ct);
            throw NotAuthorizedException.UserDisabled();
        }
        return await completion.Complete(ctx, user, clock.GetUtcNow(), ct, kind: SignInKind.Code);
    }
}
