using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>An operator forgets a user's device: its tokens are revoked with it.</summary>
sealed class AdminForgetDevice(UserPoolStore pools, UserStore users, Devices devices, PortalDb db)
    : IOperation<AdminForgetDeviceRequest, AdminForgetDeviceResponse>
{
    public async Task<AdminForgetDeviceResponse> Handle(AdminForgetDeviceRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        await devices.Forget(await devices.Get(pool.Row.Id, user.Sub, request.DeviceKey, ct), ct);
        await db.SaveChangesAsync(ct);
        return new AdminForgetDeviceResponse();
    }
}
