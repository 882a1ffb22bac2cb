using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

sealed class GetIdentityProviderByIdentifier(UserPoolStore pools, IdentityProviders providers)
    : IOperation<GetIdentityProviderByIdentifierRequest, GetIdentityProviderByIdentifierResponse>
{
    public async Task<GetIdentityProviderByIdentifierResponse> Handle(GetIdentityProviderByIdentifierRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await providers.FindByIdentifier(pool.Row.Id, request.IdpIdentifier!, ct)
                  ?? throw new ResourceNotFoundException($"Identity provider with identifier {request.IdpIdentifier} does not exist.");
        return new() { IdentityProvider = IdentityProviders.ToType(row) };
    }
}
