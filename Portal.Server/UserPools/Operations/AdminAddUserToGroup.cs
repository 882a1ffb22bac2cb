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
        if (!await db.Groups.AnyAsync(g => g.UserPoolId == pool.Row.Id && g.GroupName == request.GroupName, ct))
            throw new ResourceNotFoundException("Group not found.");
        if (!await db.GroupMembers.AnyAsync(m => m.UserPoolId == pool.Row.Id && m.GroupName == request.GroupName && m.UserSub == user.Sub, ct))
        {
            db.GroupMembers.Add(new GroupMemberRow { UserPoolId = pool.Row.Id, GroupName = request.GroupName!, UserSub = user.Sub });
            await db.SaveChangesAsync(ct);
        }
        return new AdminAddUserToGroupResponse();
    }
}
