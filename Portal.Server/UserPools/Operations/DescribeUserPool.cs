using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class DescribeUserPool(UserPoolStore pools) : IOperation<DescribeUserPoolRequest, DescribeUserPoolResponse>
{
    public async Task<DescribeUserPoolResponse> Handle(DescribeUserPoolRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new DescribeUserPoolResponse { UserPool = await pools.Describe(pool.Row, ct) };
    }
}
