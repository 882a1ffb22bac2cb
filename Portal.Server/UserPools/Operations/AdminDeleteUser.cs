using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminDeleteUser(PortalDb db, UserPoolStore pools, UserStore users) : IOperation<AdminDeleteUserRequest, AdminDeleteUserResponse>
{
    public async Task<AdminDeleteUserResponse> Handle(AdminDeleteUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var sub = user.Sub;
        // Group memberships, codes and linked identities go with the row (cascade); tokens and sessions are not keyed to it.
        await db.RefreshTokens.Where(t => t.UserSub == sub).ExecuteDeleteAsync(ct);
        await db.AuthSessions.Where(s => s.UserSub == sub).ExecuteDeleteAsync(ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        return new AdminDeleteUserResponse();
    }
}
