using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

sealed class DescribeIdentityPool(IdentityPoolStore pools) : IOperation<DescribeIdentityPoolRequest, DescribeIdentityPoolResponse>
{
    public async Task<DescribeIdentityPoolResponse> Handle(DescribeIdentityPoolRequest request, CancellationToken ct) =>
        IdentityPoolStore.Describe<DescribeIdentityPoolResponse>(await pools.Get(request.IdentityPoolId, ct));
}
