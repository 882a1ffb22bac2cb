using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminUserGlobalSignOut(PortalDb db, UserPoolStore pools, UserStore users, TokenRevocation revocation)
    : IOperation<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>
{
    public async Task<AdminUserGlobalSignOutResponse> Handle(AdminUserGlobalSignOutRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        await revocation.SignOutEverywhere(user, ct);
        await db.SaveChangesAsync(ct);
        return new AdminUserGlobalSignOutResponse();
    }
}
