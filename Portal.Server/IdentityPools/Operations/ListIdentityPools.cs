using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Pools in id order, MaxResults (1-60) at a time, with an opaque NextToken.</summary>
sealed class ListIdentityPools(IdentityPoolStore pools) : IOperation<ListIdentityPoolsRequest, ListIdentityPoolsResponse>
{
    public async Task<ListIdentityPoolsResponse> Handle(ListIdentityPoolsRequest request, CancellationToken ct)
    {
        var after = PaginationToken.Read(request.NextToken, "ListIdentityPools", 1)?[0];
        var query = pools.Pools.AsNoTracking();
        if (after is not null) query = query.Where(p => p.Id.CompareTo(after) > 0);
        var page = await query.OrderBy(p => p.Id).Take(request.MaxResults!.Value + 1).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        var more = page.Count > request.MaxResults;
        if (more) page.RemoveAt(page.Count - 1);
        return new ListIdentityPoolsResponse
        {
            IdentityPools = page.Select(p => new IdentityPoolShortDescription { IdentityPoolId = p.Id, IdentityPoolName = p.Name }).ToList(),
            NextToken = more ? PaginationToken.Create("ListIdentityPools", page[^1].Id) : null,
        };
    }
}
