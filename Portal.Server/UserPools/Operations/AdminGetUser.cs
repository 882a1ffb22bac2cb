using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class AdminGetUser(UserPoolStore pools, UserStore users) : IOperation<AdminGetUserRequest, AdminGetUserResponse>
{
    public async Task<AdminGetUserResponse> Handle(AdminGetUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var (mfa, preferred) = UserStore.Mfa(user);
        return new AdminGetUserResponse
        {
            Username = user.Username,
            UserAttributes = UserStore.AttributeList(user),
            UserCreateDate = user.CreatedAt,
            UserLastModifiedDate = user.LastModifiedAt,
            Enabled = user.Enabled,
            UserStatus = user.Status,
            MFAOptions = UserStore.MfaOptions(user),
            PreferredMfaSetting = preferred,
            UserMFASettingList = mfa.Count > 0 ? mfa : null,
        };
    }
}
