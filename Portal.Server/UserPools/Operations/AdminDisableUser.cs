using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminDisableUser(PortalDb db, UserPoolStore pools, UserStore users, TokenRevocation revocation, TimeProvider clock)
    : IOperation<AdminDisableUserRequest, AdminDisableUserResponse>
{
    public async Task<AdminDisableUserResponse> Handle(AdminDisableUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var now = clock.GetUtcNow();
        user.Enabled = false;
        user.LastModifiedAt = now;
        // Cognito revokes a disabled user's tokens, not only further sign-ins.
        await revocation.SignOutEverywhere(user, ct);
        await db.SaveChangesAsync(ct);
        return new AdminDisableUserResponse();
    }
}
