using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class DescribeUserPoolClient(UserPoolStore pools, AppClientStore clients)
    : IOperation<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse>
{
    public async Task<DescribeUserPoolClientResponse> Handle(DescribeUserPoolClientRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        return new DescribeUserPoolClientResponse { UserPoolClient = AppClientStore.Describe(client.Row) };
    }
}
