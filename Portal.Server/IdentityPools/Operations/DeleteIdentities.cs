using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Deletes up to 60 identities (and their logins). Ids that name no identity of the account, malformed ones
/// included, are answered back in UnprocessedIdentityIds with the model's AccessDenied; the others are deleted.</summary>
sealed class DeleteIdentities(Identities identities) : IOperation<DeleteIdentitiesRequest, DeleteIdentitiesResponse>
{
    public async Task<DeleteIdentitiesResponse> Handle(DeleteIdentitiesRequest request, CancellationToken ct)
    {
        var ids = request.IdentityIdsToDelete!.Distinct(StringComparer.Ordinal).ToList();
        var found = await identities.Rows.Where(i => ids.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);
        await identities.LoginRows.Where(l => found.Contains(l.IdentityId)).ExecuteDeleteAsync(ct);
        await identities.Rows.Where(i => found.Contains(i.Id)).ExecuteDeleteAsync(ct);
        return new DeleteIdentitiesResponse
        {
            UnprocessedIdentityIds = ids.Except(found, StringComparer.Ordinal)
                .Select(id => new UnprocessedIdentityId { IdentityId = id, ErrorCode = "AccessDenied" }).ToList(),
        };
    }
}
