using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>After the delete no token can carry its scopes: app clients lose them too.</summary>
sealed class DeleteResourceServer(PortalDb db, UserPoolStore pools, ResourceServers servers)
    : IOperation<DeleteResourceServerRequest, DeleteResourceServerResponse>
{
    public async Task<DeleteResourceServerResponse> Handle(DeleteResourceServerRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await servers.Get(pool.Row.Id, request.Identifier, ct);
        await servers.RemoveFromClients(pool.Row.Id, ResourceServers.FullNames(row).ToList(), ct);
        db.ResourceServers.Remove(row);
        await db.SaveChangesAsync(ct);
        return new DeleteResourceServerResponse();
    }
}
