using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Deletes the pool and, by cascade, its identities and their logins.</summary>
sealed class DeleteIdentityPool(IdentityPoolStore pools, PortalDb db) : IOperation<DeleteIdentityPoolRequest, DeleteIdentityPoolResponse>
{
    public async Task<DeleteIdentityPoolResponse> Handle(DeleteIdentityPoolRequest request, CancellationToken ct)
    {
        var row = await pools.Get(request.IdentityPoolId, ct);
        pools.Pools.Remove(row);
        await pools.Changed(row.Id, ct);
        await db.Set<IdentityPoolUsageDayRow>().Where(d => d.IdentityPoolId == row.Id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return new DeleteIdentityPoolResponse();
    }
}
