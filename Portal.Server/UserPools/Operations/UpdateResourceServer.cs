using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Replaces the name and the scopes (left out: none); app clients lose the scopes that are gone.</summary>
sealed class UpdateResourceServer(PortalDb db, UserPoolStore pools, ResourceServers servers)
    : IOperation<UpdateResourceServerRequest, UpdateResourceServerResponse>
{
    public async Task<UpdateResourceServerResponse> Handle(UpdateResourceServerRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await servers.Get(pool.Row.Id, request.Identifier, ct);
        var before = ResourceServers.FullNames(row).ToList();
        row.Name = request.Name!;
        ResourceServers.SetScopes(row, request.Scopes);
        await servers.RemoveFromClients(pool.Row.Id, before.Except(ResourceServers.FullNames(row)).ToList(), ct);
        await db.SaveChangesAsync(ct);
        return new UpdateResourceServerResponse { ResourceServer = ResourceServers.Describe(row) };
    }
}
