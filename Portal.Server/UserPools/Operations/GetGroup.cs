using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class GetGroup(PortalDb db, UserPoolStore pools) : IOperation<GetGroupRequest, GetGroupResponse>
{
    public async Task<GetGroupResponse> Handle(GetGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new GetGroupResponse { Group = Groups.ToGroupType(await Groups.Get(db, pool.Row.Id, request.GroupName, ct)) };
    }
}
