using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

/// <summary>Stops a provider identity from signing in: its link to a pool user is removed and its own
/// <c>{Provider}_{id}</c> user deleted; with ProviderName Cognito, the local user loses password sign-in.</summary>
sealed class AdminDisableProviderForUser(PortalDb db, UserPoolStore pools, UserStore users, IdentityProviders providers, TimeProvider clock)
    : IOperation<AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse>
{
    public async Task<AdminDisableProviderForUserResponse> Handle(AdminDisableProviderForUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var poolId = pool.Row.Id;
        var identity = request.User!;
        if (string.IsNullOrEmpty(identity.ProviderName) || string.IsNullOrEmpty(identity.ProviderAttributeValue))
            throw new InvalidParameterException("User ProviderName and ProviderAttributeValue are required.");
        var now = clock.GetUtcNow();
        if (string.Equals(identity.ProviderName, "Cognito", StringComparison.OrdinalIgnoreCase))
        {
            var local = await users.Get(pool, identity.ProviderAttributeValue, ct);
            local.PasswordHash = null;
            local.SrpVerifier = null;
            local.LastModifiedAt = now;
            await db.SaveChangesAsync(ct);
            return new();
        }
        var provider = await providers.Find(poolId, identity.ProviderName, ct)
                       ?? throw new InvalidParameterException($"Provider {identity.ProviderName} does not exist for User Pool {poolId}");
        var subject = identity.ProviderAttributeValue;
        var links = await db.LinkedIdentities.Where(l => l.UserPoolId == poolId && l.ProviderName == provider.ProviderName && l.ProviderUserId == subject)
            .ToListAsync(ct);
        var key = UserStore.Key(pool.Row, FederatedSignIn.FederatedUsername(provider.ProviderName, subject));
        var federated = await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == poolId && u.UsernameKey == key, ct);
        if (links.Count == 0 && federated is null) throw new UserNotFoundException("User does not exist.");

        foreach (var link in links)
        {
            db.LinkedIdentities.Remove(link);
            if (link.UserSub == federated?.Sub) continue;
            var linked = await db.Users.FirstOrDefaultAsync(u => u.Sub == link.UserSub, ct);
            if (linked is null) continue;
            var remaining = new JsonArray(AdminLinkProviderForUser.Identities(linked).OfType<JsonObject>()
                .Where(e => !(e["providerName"]?.ToString() == provider.ProviderName && e["userId"]?.ToString() == subject))
                .Select(e => (JsonNode)e.DeepClone()).ToArray());
            UserStore.SetAttributes(linked, [new("identities", remaining.Count == 0 ? null : remaining.ToJsonString())]);
            linked.LastModifiedAt = now;
        }
        if (federated is not null) db.Users.Remove(federated);
        await db.SaveChangesAsync(ct);
        return new();
    }
}
