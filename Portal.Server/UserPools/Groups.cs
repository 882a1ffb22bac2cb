using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

public static class Groups
{
    public static GroupType ToGroupType(GroupRow g) => new()
    {
        GroupName = g.GroupName, UserPoolId = g.UserPoolId, Description = g.Description, RoleArn = g.RoleArn,
        Precedence = g.Precedence, CreationDate = g.CreatedAt, LastModifiedDate = g.LastModifiedAt,
    };
}
