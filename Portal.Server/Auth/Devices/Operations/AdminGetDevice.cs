using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

sealed class AdminGetDevice(UserPoolStore pools, UserStore users, Devices devices) : IOperation<AdminGetDeviceRequest, AdminGetDeviceResponse>
{
    public async Task<AdminGetDeviceResponse> Handle(AdminGetDeviceRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var device = await devices.Get(pool.Row.Id, user.Sub, request.DeviceKey, ct);
        if (device.SecretVerifier is null) throw Devices.NotFound();
        return new AdminGetDeviceResponse { Device = Devices.ToDeviceType(device) };
    }
}
