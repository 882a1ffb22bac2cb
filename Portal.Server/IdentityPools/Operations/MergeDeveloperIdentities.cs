using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Merges the identity of the source developer user into that of the destination user: the destination
/// identity keeps every login of both; the source identity is gone.</summary>
sealed class MergeDeveloperIdentities(IdentityPoolStore pools, Identities identities)
    : IOperation<MergeDeveloperIdentitiesRequest, MergeDeveloperIdentitiesResponse>
{
    public async Task<MergeDeveloperIdentitiesResponse> Handle(MergeDeveloperIdentitiesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        if (pool.DeveloperProviderName is null || pool.DeveloperProviderName != request.DeveloperProviderName)
            throw new ResourceNotFoundException($"Developer provider name '{request.DeveloperProviderName}' is not the identity pool's.");
        var developer = pool.DeveloperProviderName;
        var source = await Owner(pool.Id, developer, request.SourceUserIdentifier!, ct);
        var destination = await Owner(pool.Id, developer, request.DestinationUserIdentifier!, ct);
        if (source != destination) await identities.Merge(await identities.Get(source, ct), await identities.Get(destination, ct), developer, ct);
        return new MergeDeveloperIdentitiesResponse { IdentityId = destination };
    }

    async Task<string> Owner(string poolId, string developer, string user, CancellationToken ct) =>
        await identities.LoginRows.Where(l => l.IdentityPoolId == poolId && l.Provider == developer && l.LoginId == user)
            .Select(l => l.IdentityId).FirstOrDefaultAsync(ct)
        ?? throw new ResourceNotFoundException($"Developer user identifier '{user}' not found.");
}
