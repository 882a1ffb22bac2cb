using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

sealed class UpdateDeviceStatus(SignedInUsers signedIn, Devices devices, PortalDb db) : IOperation<UpdateDeviceStatusRequest, UpdateDeviceStatusResponse>
{
    public async Task<UpdateDeviceStatusResponse> Handle(UpdateDeviceStatusRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var device = await devices.Get(me.Pool.Row.Id, me.User.Sub, request.DeviceKey, ct);
        if (device.SecretVerifier is null) throw Devices.NotFound();
        devices.SetStatus(device, request.DeviceRememberedStatus);
        await db.SaveChangesAsync(ct);
        return new UpdateDeviceStatusResponse();
    }
}
