using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class ChangePassword(PortalDb db, SignedInUsers signedIn, Credentials credentials, AuthEvents events, SignInLockout lockout)
    : IOperation<ChangePasswordRequest, ChangePasswordResponse>
{
    public async Task<ChangePasswordResponse> Handle(ChangePasswordRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        if (string.IsNullOrEmpty(request.ProposedPassword))
            throw InvalidParameterException.Missing("proposedPassword");
        PasswordPolicy.Check(me.Pool.Settings.Policies?.PasswordPolicy, request.ProposedPassword);
        // A stolen access token must not become a password oracle: wrong previous passwords count toward the lockout.
        if (await lockout.Begin(me.User, ct) is not { } attempt)
            throw new LimitExceededException("Attempt limit exceeded, please try after some time.");
        if (request.PreviousPassword is null || !await credentials.Verify(me.User, request.PreviousPassword, ct))
        {
            if (events.Add(me.Pool, me.User, "PasswordChange", "Fail", me.Token.ClientId, ("Password", false)) is not null) await db.SaveChangesAsync(ct);
            throw NotAuthorizedException.IncorrectPassword();
        }
        await lockout.Proven(me.User, attempt, ct);
        await credentials.SetPassword(me.Pool, me.User, request.ProposedPassword, new(ThreatProtection.PasswordCheck.PasswordChange, "PasswordChange", me.Token.ClientId), ct);
        events.Add(me.Pool, me.User, "PasswordChange", "Pass", me.Token.ClientId, ("Password", true));
        await db.SaveChangesAsync(ct);
        return new ChangePasswordResponse();
    }
}
