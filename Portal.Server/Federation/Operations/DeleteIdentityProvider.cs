using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

sealed class DeleteIdentityProvider(PortalDb db, UserPoolStore pools, IdentityProviders providers, TimeProvider clock)
    : IOperation<DeleteIdentityProviderRequest, DeleteIdentityProviderResponse>
{
    public async Task<DeleteIdentityProviderResponse> Handle(DeleteIdentityProviderRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await providers.Get(pool.Row.Id, request.ProviderName, ct);
        var poolId = pool.Row.Id;
        // App clients stop offering the provider, so their settings stay valid for the next UpdateUserPoolClient.
        foreach (var client in await db.AppClients.Where(c => c.UserPoolId == poolId).ToListAsync(ct))
        {
            var settings = AppClientStore.Read(client);
            if (settings.SupportedIdentityProviders?.Contains(row.ProviderName) != true) continue;
            AppClientStore.Write(client, settings with { SupportedIdentityProviders = settings.SupportedIdentityProviders.Where(p => p != row.ProviderName).ToList() });
            client.LastModifiedAt = clock.GetUtcNow();
        }
        db.IdentityProviders.Remove(row);
        await db.SaveChangesAsync(ct);
        return new();
    }
}
