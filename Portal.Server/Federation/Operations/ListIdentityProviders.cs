using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

sealed class ListIdentityProviders(PortalDb db, UserPoolStore pools) : IOperation<ListIdentityProvidersRequest, ListIdentityProvidersResponse>
{
    public async Task<ListIdentityProvidersResponse> Handle(ListIdentityProvidersRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var poolId = pool.Row.Id;
        var scope = $"ListIdentityProviders\n{poolId}";
        var limit = request.MaxResults is > 0 and <= 60 ? request.MaxResults.Value : 60;
        var query = db.IdentityProviders.AsNoTracking().Where(p => p.UserPoolId == poolId);
        if (PaginationToken.Read(request.NextToken, scope, 1) is [var last])
            query = query.Where(p => string.Compare(p.ProviderName, last) > 0);
        var rows = await query.OrderBy(p => p.ProviderName).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new()
        {
            Providers = rows.Select(p => new ProviderDescription
            {
                ProviderName = p.ProviderName, ProviderType = p.ProviderType, CreationDate = p.CreatedAt, LastModifiedDate = p.LastModifiedAt,
            }).ToList(),
            NextToken = more ? PaginationToken.Create(scope, rows[^1].ProviderName) : null,
        };
    }
}
