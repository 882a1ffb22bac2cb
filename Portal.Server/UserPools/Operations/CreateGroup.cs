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
        var poolId = pool.Row.Id;
        if (await db.Groups.AnyAsync(g => g.UserPoolId == poolId && g.GroupName == request.GroupName, ct))
            throw GroupExistsException.Named();
        if (await db.Groups.CountAsync(g => g.UserPoolId == poolId, ct) >= Groups.MaxPerPool)
            throw new LimitExceededException($"The user pool has reached its limit of {Groups.MaxPerPool} groups.");
        var now = clock.GetUtcNow();
        var row = new GroupRow
        {
            UserPoolId = poolId, GroupName = request.GroupName!, Description = request.Description,
            Precedence = request.Precedence, RoleArn = request.RoleArn, CreatedAt = now, LastModifiedAt = now,
        };
        db.Groups.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request may have created the same name between the check and the insert.
            if (await db.Groups.AsNoTracking().AnyAsync(g => g.UserPoolId == poolId && g.GroupName == row.GroupName, ct))
                throw GroupExistsException.Named();
            throw;
        }
        return new CreateGroupResponse { Group = Groups.ToGroupType(row) };
    }
}
