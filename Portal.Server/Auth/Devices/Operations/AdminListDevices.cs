using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

sealed class AdminListDevices(UserPoolStore pools, UserStore users, Devices devices) : IOperation<AdminListDevicesRequest, AdminListDevicesResponse>
{
    public async Task<AdminListDevicesResponse> Handle(AdminListDevicesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var (list, next) = await devices.List(pool.Row.Id, user.Sub, request.Limit, request.PaginationToken, $"ListDevices\n{user.Sub}", ct);
        return new AdminListDevicesResponse { Devices = list, PaginationToken = next };
    }
}
