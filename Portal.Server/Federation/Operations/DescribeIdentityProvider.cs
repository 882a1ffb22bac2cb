using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

sealed class DescribeIdentityProvider(UserPoolStore pools, IdentityProviders providers)
    : IOperation<DescribeIdentityProviderRequest, DescribeIdentityProviderResponse>
{
    public async Task<DescribeIdentityProviderResponse> Handle(DescribeIdentityProviderRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new() { IdentityProvider = IdentityProviders.ToType(await providers.Get(pool.Row.Id, request.ProviderName, ct)) };
    }
}
