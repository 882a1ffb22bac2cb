using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateGroup(PortalDb db, UserPoolStore pools, TimeProvider clock) : IOperation<CreateGroupRequest, CreateGroupResponse>
{
    public async Task<CreateGroupResponse> Handle(CreateGroupRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (await db.Groups.AnyAsync(g => g.UserPoolId == pool.Row.Id && g.GroupName == request.GroupName, ct))
            throw new GroupExistsException("A group with the name already exists.");
        var now = clock.GetUtcNow();
        var row = new GroupRow
        {
            UserPoolId = pool.Row.Id, GroupName = request.GroupName!, Description = request.Description,
            Precedence = request.Precedence, RoleArn = request.RoleArn, CreatedAt = now, LastModifiedAt = now,
        };
        db.Groups.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateGroupResponse { Group = Groups.ToGroupType(row) };
    }
}
