using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Deletes up to 60 identities (and their logins); ids that name no identity are passed over, as in Cognito.</summary>
sealed class DeleteIdentities(Identities identities) : IOperation<DeleteIdentitiesRequest, DeleteIdentitiesResponse>
{
    public async Task<DeleteIdentitiesResponse> Handle(DeleteIdentitiesRequest request, CancellationToken ct)
    {
        var ids = request.IdentityIdsToDelete!.Distinct().ToList();
        await identities.LoginRows.Where(l => ids.Contains(l.IdentityId)).ExecuteDeleteAsync(ct);
        await identities.Rows.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(ct);
        return new DeleteIdentitiesResponse { UnprocessedIdentityIds = [] };
    }
}
