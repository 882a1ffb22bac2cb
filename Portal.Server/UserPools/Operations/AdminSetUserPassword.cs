using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminSetUserPassword(PortalDb db, UserPoolStore pools, UserStore users, Credentials credentials)
    : IOperation<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>
{
    public async Task<AdminSetUserPasswordResponse> Handle(AdminSetUserPasswordRequest request, CancellationToken ct)
    {
        // The pool as this instance caches it (its password policy and threat protection): the operation changes the user only.
        var pool = await pools.Cached(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        await credentials.SetPassword(pool, user, request.Password!, new(ThreatProtection.PasswordCheck.PasswordChange, "PasswordChange", null), ct);
        // A permanent password confirms the user (a federated one too); a temporary one must be changed at next sign-in.
        user.Status = request.Permanent == true ? UserStatus.Confirmed : UserStatus.ForceChangePassword;
        // An administrator's reset also clears a lockout from failed sign-ins.
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return new AdminSetUserPasswordResponse();
    }
}
