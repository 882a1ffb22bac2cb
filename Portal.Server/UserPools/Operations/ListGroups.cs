using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class ListGroups(PortalDb db, UserPoolStore pools) : IOperation<ListGroupsRequest, ListGroupsResponse>
{
    public async Task<ListGroupsResponse> Handle(ListGroupsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var poolId = pool.Row.Id;
        var scope = $"ListGroups\n{poolId}";
        var limit = Groups.PageSize(request.Limit);
        var groups = db.Groups.AsNoTracking().Where(g => g.UserPoolId == poolId);
        // Keyset paging on the (UserPoolId, GroupName) key.
        if (PaginationToken.Read(request.NextToken, scope, 1) is [var last])
            groups = groups.Where(g => string.Compare(g.GroupName, last) > 0);
        var rows = await groups.OrderBy(g => g.GroupName).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new ListGroupsResponse
        {
            Groups = rows.Select(Groups.ToGroupType).ToList(),
            NextToken = more ? PaginationToken.Create(scope, rows[^1].GroupName) : null,
        };
    }
}
