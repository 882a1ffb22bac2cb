using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

sealed class GetIdentityPoolRoles(IdentityPoolStore pools) : IOperation<GetIdentityPoolRolesRequest, GetIdentityPoolRolesResponse>
{
    public async Task<GetIdentityPoolRolesResponse> Handle(GetIdentityPoolRolesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        var roles = IdentityPoolStore.Roles(pool);
        return new GetIdentityPoolRolesResponse { IdentityPoolId = pool.Id, Roles = roles.Roles ?? [], RoleMappings = roles.RoleMappings ?? [] };
    }
}
