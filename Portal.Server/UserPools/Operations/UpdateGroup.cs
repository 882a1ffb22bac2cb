using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class UpdateGroup(PortalDb db, UserPoolStore pools, TimeProvider clock) : IOperation<UpdateGroupRequest, UpdateGroupResponse>
{
    public async Task<UpdateGroupResponse> Handle(UpdateGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var group = await Groups.Get(db, pool.Row.Id, request.GroupName, ct);
        // Members left out of the request keep their values.
        if (request.Description is not null) group.Description = request.Description;
        if (request.RoleArn is not null) group.RoleArn = request.RoleArn;
        if (request.Precedence is not null) group.Precedence = request.Precedence;
        group.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new UpdateGroupResponse { Group = Groups.ToGroupType(group) };
    }
}
