using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminUserGlobalSignOut(PortalDb db, UserPoolStore pools, UserStore users, TimeProvider clock)
    : IOperation<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>
{
    public async Task<AdminUserGlobalSignOutResponse> Handle(AdminUserGlobalSignOutRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await users.RevokeTokens(user, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AdminUserGlobalSignOutResponse();
    }
}
