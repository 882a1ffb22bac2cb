using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

/// <summary>The device of a sign-in's NewDeviceMetadata, confirmed with its SRP verifier (and remembered unless the pool asks
/// the user first).</summary>
sealed class ConfirmDevice(SignedInUsers signedIn, Devices devices, PortalDb db) : IOperation<ConfirmDeviceRequest, ConfirmDeviceResponse>
{
    public async Task<ConfirmDeviceResponse> Handle(ConfirmDeviceRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var device = await devices.Get(me.Pool.Row.Id, me.User.Sub, request.DeviceKey, ct);
        var response = devices.Confirm(me.Pool, device, request.DeviceSecretVerifierConfig, request.DeviceName);
        await db.SaveChangesAsync(ct);
        return response;
    }
}
