using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminAddUserToGroup(PortalDb db, UserPoolStore pools, UserStore users)
    : IOperation<AdminAddUserToGroupRequest, AdminAddUserToGroupResponse>
{
    public async Task<AdminAddUserToGroupResponse> Handle(AdminAddUserToGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var group = await Groups.Get(db, pool.Row.Id, request.GroupName, ct);
        // Adding a member again changes nothing.
        if (!await db.GroupMembers.AnyAsync(m => m.UserPoolId == group.UserPoolId && m.GroupName == group.GroupName && m.UserSub == user.Sub, ct))
        {
            db.GroupMembers.Add(new GroupMemberRow { UserPoolId = group.UserPoolId, GroupName = group.GroupName, UserSub = user.Sub });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A concurrent request may have added the same membership; anything else is a real failure.
                var sub = user.Sub;
                if (!await db.GroupMembers.AnyAsync(m => m.UserPoolId == group.UserPoolId && m.GroupName == group.GroupName && m.UserSub == sub, ct))
                    throw;
            }
        }
        return new AdminAddUserToGroupResponse();
    }
}
