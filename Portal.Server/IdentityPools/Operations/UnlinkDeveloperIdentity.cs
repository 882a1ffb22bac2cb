using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Unlinks a developer user identifier from its identity; next time it is seen it names a new identity.</summary>
sealed class UnlinkDeveloperIdentity(IdentityPoolStore pools, Identities identities, PortalDb db, TimeProvider clock)
    : IOperation<UnlinkDeveloperIdentityRequest, UnlinkDeveloperIdentityResponse>
{
    public async Task<UnlinkDeveloperIdentityResponse> Handle(UnlinkDeveloperIdentityRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        if (pool.DeveloperProviderName is null || pool.DeveloperProviderName != request.DeveloperProviderName)
            throw new ResourceNotFoundException($"Developer provider name '{request.DeveloperProviderName}' is not the identity pool's.");
        var identity = await identities.Get(request.IdentityId, ct);
        var login = await identities.LoginRows.FirstOrDefaultAsync(l => l.IdentityPoolId == pool.Id && l.IdentityId == identity.Id
                        && l.Provider == pool.DeveloperProviderName && l.LoginId == request.DeveloperUserIdentifier, ct)
                    ?? throw new ResourceNotFoundException($"Developer user identifier '{request.DeveloperUserIdentifier}' is not linked to identity '{identity.Id}'.");
        identities.LoginRows.Remove(login);
        // Its last login gone, the identity is inaccessible (Cognito's words), not a guest.
        if (!await identities.LoginRows.AnyAsync(l => l.IdentityId == identity.Id && !(l.Provider == login.Provider && l.LoginId == login.LoginId), ct))
            identity.Disabled = true;
        identity.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new UnlinkDeveloperIdentityResponse();
    }
}
