using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;

namespace Portal.Server.Admin.Operations;

/// <summary>The operator's unlink: the named logins leave the identity (each names a new identity the next time it is
/// seen; an identity left with none is disabled), as UnlinkIdentity does for the app that holds their tokens. A developer login is refused: it has its own
/// operation, which also needs the developer provider's name.</summary>
sealed class UnlinkIdentityLogins(Identities identities, IdentityPoolStore pools, PortalDb db, AuditTarget audit, TimeProvider clock)
    : IOperation<UnlinkIdentityLoginsRequest, UnlinkIdentityLoginsResponse>
{
    public async Task<UnlinkIdentityLoginsResponse> Handle(UnlinkIdentityLoginsRequest request, CancellationToken ct)
    {
        var identity = await identities.Get(request.IdentityId, ct);
        audit.Name = identity.Id;
        var pool = await pools.Get(identity.IdentityPoolId, ct);
        var held = await identities.LoginsOf(identity.Id, ct);
        foreach (var provider in request.LoginsToRemove!)
        {
            if (provider == pool.DeveloperProviderName)
                throw new InvalidParameterException($"{provider} is the pool's developer provider: unlink its users with UnlinkDeveloperIdentity.");
            if (!held.Any(l => l.Provider == provider))
                throw new InvalidParameterException($"Identity '{identity.Id}' holds no login of {provider}.");
        }
        var remove = request.LoginsToRemove.ToHashSet(StringComparer.Ordinal);
        identities.LoginRows.RemoveRange(held.Where(l => remove.Contains(l.Provider)));
        // As UnlinkIdentity: an identity left with no login is disabled, never turned into a guest anyone holding its id could use.
        if (held.All(l => remove.Contains(l.Provider))) identity.Disabled = true;
        identity.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new UnlinkIdentityLoginsResponse { Logins = [.. held.Where(l => !remove.Contains(l.Provider)).Select(l => l.Provider)] };
    }
}
