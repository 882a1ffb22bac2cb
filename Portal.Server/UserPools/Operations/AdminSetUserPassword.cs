using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminSetUserPassword(PortalDb db, UserPoolStore pools, UserStore users, Credentials credentials)
    : IOperation<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>
{
    public async Task<AdminSetUserPasswordResponse> Handle(AdminSetUserPasswordRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        credentials.SetPassword(pool, user, request.Password!);
        if (request.Permanent == true) user.Status = "CONFIRMED";
        else if (user.Status != "EXTERNAL_PROVIDER") user.Status = "FORCE_CHANGE_PASSWORD";
        await db.SaveChangesAsync(ct);
        return new AdminSetUserPasswordResponse();
    }
}
