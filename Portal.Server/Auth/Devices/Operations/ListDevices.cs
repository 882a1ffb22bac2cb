using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

sealed class ListDevices(SignedInUsers signedIn, Devices devices) : IOperation<ListDevicesRequest, ListDevicesResponse>
{
    public async Task<ListDevicesResponse> Handle(ListDevicesRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var (list, next) = await devices.List(me.Pool.Row.Id, me.User.Sub, request.Limit, request.PaginationToken,
            $"ListDevices\n{me.User.Sub}", ct);
        return new ListDevicesResponse { Devices = list, PaginationToken = next };
    }
}
