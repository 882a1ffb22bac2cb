using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

sealed class GetPrincipalTagAttributeMap(IdentityPoolStore pools, Logins logins)
    : IOperation<GetPrincipalTagAttributeMapRequest, GetPrincipalTagAttributeMapResponse>
{
    public async Task<GetPrincipalTagAttributeMapResponse> Handle(GetPrincipalTagAttributeMapRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        var map = IdentityPoolStore.PrincipalTags(pool).GetValueOrDefault(logins.Canonical(request.IdentityProviderName!));
        return new GetPrincipalTagAttributeMapResponse
        {
            IdentityPoolId = pool.Id,
            IdentityProviderName = request.IdentityProviderName,
            UseDefaults = map?.UseDefaults ?? false,
            PrincipalTags = map?.PrincipalTags ?? [],
        };
    }
}
