using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class DescribeResourceServer(UserPoolStore pools, ResourceServers servers)
    : IOperation<DescribeResourceServerRequest, DescribeResourceServerResponse>
{
    public async Task<DescribeResourceServerResponse> Handle(DescribeResourceServerRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new DescribeResourceServerResponse { ResourceServer = ResourceServers.Describe(await servers.Get(pool.Row.Id, request.Identifier, ct)) };
    }
}
