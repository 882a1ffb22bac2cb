using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminListGroupsForUser(PortalDb db, UserPoolStore pools, UserStore users)
    : IOperation<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse>
{
    public async Task<AdminListGroupsForUserResponse> Handle(AdminListGroupsForUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var (poolId, sub) = (pool.Row.Id, user.Sub);
        var scope = $"AdminListGroupsForUser\n{poolId}\n{sub}";
        var limit = Groups.PageSize(request.Limit);
        var memberships = db.GroupMembers.Where(m => m.UserSub == sub && m.UserPoolId == poolId);
        if (PaginationToken.Read(request.NextToken, scope, 1) is [var last])
            memberships = memberships.Where(m => string.Compare(m.GroupName, last) > 0);
        var rows = await memberships
            .Join(db.Groups, m => new { m.UserPoolId, m.GroupName }, g => new { g.UserPoolId, g.GroupName }, (m, g) => g)
            .OrderBy(g => g.GroupName).Take(limit + 1).AsNoTracking().ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new AdminListGroupsForUserResponse
        {
            Groups = rows.Select(Groups.ToGroupType).ToList(),
            NextToken = more ? PaginationToken.Create(scope, rows[^1].GroupName) : null,
        };
    }
}
