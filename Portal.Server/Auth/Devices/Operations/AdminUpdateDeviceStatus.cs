using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

sealed class AdminUpdateDeviceStatus(UserPoolStore pools, UserStore users, Devices devices, PortalDb db)
    : IOperation<AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse>
{
    public async Task<AdminUpdateDeviceStatusResponse> Handle(AdminUpdateDeviceStatusRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var device = await devices.Get(pool.Row.Id, user.Sub, request.DeviceKey, ct);
        if (device.SecretVerifier is null) throw Devices.NotFound();
        devices.SetStatus(device, request.DeviceRememberedStatus);
        await db.SaveChangesAsync(ct);
        return new AdminUpdateDeviceStatusResponse();
    }
}
