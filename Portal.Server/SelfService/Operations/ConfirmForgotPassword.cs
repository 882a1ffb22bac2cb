using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class ConfirmForgotPassword(PortalDb db, AppClientStore clients, UserPoolStore pools, UserStore users, Credentials credentials, Codes codes,
    UserTriggers triggers, AuthEvents events)
    : IOperation<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>
{
    public async Task<ConfirmForgotPasswordResponse> Handle(ConfirmForgotPasswordRequest request, CancellationToken ct)
    {
        var caller = await CallingClient.Resolve(clients, pools, request.ClientId, ct);
        var pool = caller.Pool;
        var user = await users.Find(pool, request.Username, ct);
        caller.CheckSecretHash(request.SecretHash, request.Username, user?.Username);
        if (user is null)
            throw caller.PreventsUserExistenceErrors
                ? CodeMismatchException.InvalidCode()
                : UserNotFoundException.ForClient();
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        if (string.IsNullOrEmpty(request.Password))
            throw InvalidParameterException.Missing("password");
        // A password the policy refuses does not spend the code.
        PasswordPolicy.Check(pool.Settings.Policies?.PasswordPolicy, request.Password);

        await codes.Use(user, CodePurpose.ForgotPassword, request.ConfirmationCode, ct);
        events.From(request.UserContextData);
        await credentials.SetPassword(pool, user, request.Password, new(ThreatProtection.PasswordCheck.PasswordChange, "ForgotPassword", caller.Client.Row.ClientId), ct);
        // The reset's own event: what threat protection found in the new password (a breached one recorded under AUDIT).
        events.Add(pool, user, "ForgotPassword", "Pass", caller.Client.Row.ClientId);
        user.Status = UserStatus.Confirmed;
        // A reset password ends a lockout earned with the old one.
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        // Once the new password is committed: a failure is the answer, the password stays reset.
        await triggers.PostConfirmation(pool, "PostConfirmation_ConfirmForgotPassword", user, caller.Client.Row.ClientId, request.ClientMetadata, ct);
        return new ConfirmForgotPasswordResponse();
    }
}
