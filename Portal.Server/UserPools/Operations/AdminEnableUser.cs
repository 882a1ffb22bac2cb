using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminEnableUser(PortalDb db, UserPoolStore pools, UserStore users, TimeProvider clock)
    : IOperation<AdminEnableUserRequest, AdminEnableUserResponse>
{
    public async Task<AdminEnableUserResponse> Handle(AdminEnableUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        user.Enabled = true;
        user.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new AdminEnableUserResponse();
    }
}
