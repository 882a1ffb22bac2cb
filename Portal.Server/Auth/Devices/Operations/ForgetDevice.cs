using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

/// <summary>The user forgets one of their devices: its tokens are revoked with it.</summary>
sealed class ForgetDevice(SignedInUsers signedIn, Devices devices, PortalDb db) : IOperation<ForgetDeviceRequest, ForgetDeviceResponse>
{
    public async Task<ForgetDeviceResponse> Handle(ForgetDeviceRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        await devices.Forget(await devices.Get(me.Pool.Row.Id, me.User.Sub, request.DeviceKey, ct), ct);
        await db.SaveChangesAsync(ct);
        return new ForgetDeviceResponse();
    }
}
