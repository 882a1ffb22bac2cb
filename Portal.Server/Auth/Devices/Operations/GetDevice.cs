using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

sealed class GetDevice(SignedInUsers signedIn, Devices devices) : IOperation<GetDeviceRequest, GetDeviceResponse>
{
    public async Task<GetDeviceResponse> Handle(GetDeviceRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var device = await devices.Get(me.Pool.Row.Id, me.User.Sub, request.DeviceKey, ct);
        if (device.SecretVerifier is null) throw Devices.NotFound();
        return new GetDeviceResponse { Device = Devices.ToDeviceType(device) };
    }
}
