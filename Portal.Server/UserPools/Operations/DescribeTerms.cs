using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class DescribeTerms(UserPoolStore pools, Terms terms) : IOperation<DescribeTermsRequest, DescribeTermsResponse>
{
    public async Task<DescribeTermsResponse> Handle(DescribeTermsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new DescribeTermsResponse { Terms = Terms.Describe(await terms.Get(pool.Row.Id, request.TermsId, ct)) };
    }
}
