using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>A pool's groups: lookup and the contract's shape.</summary>
public static class Groups
{
    /// <summary>Cognito's quota of groups in one user pool.</summary>
    public const int MaxPerPool = 10_000;

    public static async Task<GroupRow> Get(PortalDb db, string poolId, string? groupName, CancellationToken ct) =>
        await db.Groups.FirstOrDefaultAsync(g => g.UserPoolId == poolId && g.GroupName == groupName, ct)
        ?? throw new ResourceNotFoundException("Group not found.");

    public static GroupType ToGroupType(GroupRow g) => new()
    {
        GroupName = g.GroupName, UserPoolId = g.UserPoolId, Description = g.Description, RoleArn = g.RoleArn,
        Precedence = g.Precedence, CreationDate = g.CreatedAt, LastModifiedDate = g.LastModifiedAt,
    };

    /// <summary>Limit of the group listings: 1..60, 60 when not given.</summary>
    public static int PageSize(int? limit) => limit is null or 0 ? 60 : limit.Value;
}
