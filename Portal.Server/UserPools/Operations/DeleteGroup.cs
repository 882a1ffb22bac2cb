using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class DeleteGroup(PortalDb db, UserPoolStore pools) : IOperation<DeleteGroupRequest, DeleteGroupResponse>
{
    public async Task<DeleteGroupResponse> Handle(DeleteGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var group = await Groups.Get(db, pool.Row.Id, request.GroupName, ct);
        // Memberships go with the group (cascade).
        db.Groups.Remove(group);
        await db.SaveChangesAsync(ct);
        return new DeleteGroupResponse();
    }
}
