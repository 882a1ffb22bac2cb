using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminRemoveUserFromGroup(PortalDb db, UserPoolStore pools, UserStore users)
    : IOperation<AdminRemoveUserFromGroupRequest, AdminRemoveUserFromGroupResponse>
{
    public async Task<AdminRemoveUserFromGroupResponse> Handle(AdminRemoveUserFromGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var group = await Groups.Get(db, pool.Row.Id, request.GroupName, ct);
        // Removing a user who is not a member succeeds, as in Cognito.
        var membership = await db.GroupMembers.FirstOrDefaultAsync(
            m => m.UserPoolId == group.UserPoolId && m.GroupName == group.GroupName && m.UserSub == user.Sub, ct);
        if (membership is not null)
        {
            db.GroupMembers.Remove(membership);
            await db.SaveChangesAsync(ct);
        }
        return new AdminRemoveUserFromGroupResponse();
    }
}
