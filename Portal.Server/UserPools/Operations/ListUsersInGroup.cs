using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class ListUsersInGroup(PortalDb db, UserPoolStore pools) : IOperation<ListUsersInGroupRequest, ListUsersInGroupResponse>
{
    public async Task<ListUsersInGroupResponse> Handle(ListUsersInGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var group = await Groups.Get(db, pool.Row.Id, request.GroupName, ct);
        var (poolId, groupName) = (group.UserPoolId, group.GroupName);
        var scope = $"ListUsersInGroup\n{poolId}\n{groupName}";
        var limit = Groups.PageSize(request.Limit);
        // Keyset paging on the (UserPoolId, GroupName, UserSub) key of the memberships.
        var memberships = db.GroupMembers.Where(m => m.UserPoolId == poolId && m.GroupName == groupName);
        if (PaginationToken.Read(request.NextToken, scope, 1) is [var last])
            memberships = memberships.Where(m => string.Compare(m.UserSub, last) > 0);
        var rows = await memberships
            .OrderBy(m => m.UserSub).Take(limit + 1)
            .Join(db.Users, m => m.UserSub, u => u.Sub, (m, u) => u)
            .OrderBy(u => u.Sub).AsNoTracking().ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new ListUsersInGroupResponse
        {
            Users = rows.Select(u => UserStore.ToUserType(u)).ToList(),
            NextToken = more ? PaginationToken.Create(scope, rows[^1].Sub) : null,
        };
    }
}
