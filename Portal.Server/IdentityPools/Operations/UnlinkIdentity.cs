using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Removes logins from an identity the caller proves with its logins; a removed login names a new identity
/// the next time it is seen. Unlinking the last login disables the identity.</summary>
sealed class UnlinkIdentity(IdentityAccess access, Identities identities, Logins logins, PortalDb db, TimeProvider clock)
    : IOperation<UnlinkIdentityRequest, UnlinkIdentityResponse>
{
    public async Task<UnlinkIdentityResponse> Handle(UnlinkIdentityRequest request, CancellationToken ct)
    {
        var proven = await access.Prove(request.IdentityId, request.Logins, ct);
        if (!proven.Authenticated) throw new NotAuthorizedException($"Access to Identity '{request.IdentityId}' is forbidden.");
        var remove = request.LoginsToRemove!.Select(logins.Canonical).ToHashSet();
        var held = await identities.LoginsOf(proven.Identity.Id, ct);
        var removed = held.Where(l => remove.Contains(l.Provider) && l.Provider != proven.Pool.DeveloperProviderName).ToList();
        identities.LoginRows.RemoveRange(removed);
        // An authenticated identity left without logins is disabled, not turned into a guest anyone could use.
        if (removed.Count == held.Count && held.Count > 0) proven.Identity.Disabled = true;
        proven.Identity.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new UnlinkIdentityResponse();
    }
}
