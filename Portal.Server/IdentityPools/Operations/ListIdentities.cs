using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>A pool's identities in id order with their logins, MaxResults (1-60) at a time; HideDisabled leaves out
/// identities whose logins were all unlinked.</summary>
sealed class ListIdentities(IdentityPoolStore pools, Identities identities) : IOperation<ListIdentitiesRequest, ListIdentitiesResponse>
{
    public async Task<ListIdentitiesResponse> Handle(ListIdentitiesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        var scope = $"ListIdentities|{pool.Id}";
        var after = PaginationToken.Read(request.NextToken, scope, 1)?[0];
        var query = identities.Rows.AsNoTracking().Where(i => i.IdentityPoolId == pool.Id);
        if (request.HideDisabled == true) query = query.Where(i => !i.Disabled);
        if (after is not null) query = query.Where(i => i.Id.CompareTo(after) > 0);
        var page = await query.OrderBy(i => i.Id).Take(request.MaxResults!.Value + 1).ToListAsync(ct);
        var more = page.Count > request.MaxResults;
        if (more) page.RemoveAt(page.Count - 1);
        var ids = page.Select(i => i.Id).ToList();
        var logins = (await identities.LoginRows.AsNoTracking().Where(l => ids.Contains(l.IdentityId)).ToListAsync(ct))
            .ToLookup(l => l.IdentityId);
        return new ListIdentitiesResponse
        {
            IdentityPoolId = pool.Id,
            Identities = page.Select(i => new IdentityDescription
            {
                IdentityId = i.Id,
                Logins = logins[i.Id].OrderBy(l => l.LinkedAt).Select(l => l.Provider).ToList(),
                CreationDate = i.CreatedAt,
                LastModifiedDate = i.LastModifiedAt,
            }).ToList(),
            NextToken = more ? PaginationToken.Create(scope, page[^1].Id) : null,
        };
    }
}
