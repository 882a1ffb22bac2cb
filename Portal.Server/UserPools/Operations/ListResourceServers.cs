using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Pages of at most MaxResults (1-50, default 50) resource servers in identifier order.</summary>
sealed class ListResourceServers(PortalDb db, UserPoolStore pools) : IOperation<ListResourceServersRequest, ListResourceServersResponse>
{
    public async Task<ListResourceServersResponse> Handle(ListResourceServersRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var max = request.MaxResults ?? 50;
        var listing = "resourceservers:" + pool.Row.Id;
        var query = db.ResourceServers.AsNoTracking().Where(r => r.UserPoolId == pool.Row.Id).OrderBy(r => r.Identifier).AsQueryable();
        if (PageToken.After(listing, request.NextToken) is { } after) query = query.Where(r => string.Compare(r.Identifier, after) > 0);
        var page = await query.Take(max + 1).ToListAsync(ct);
        var more = page.Count > max;
        if (more) page.RemoveAt(max);
        return new ListResourceServersResponse
        {
            ResourceServers = page.Select(ResourceServers.Describe).ToList(),
            NextToken = more ? PageToken.Next(listing, page[^1].Identifier) : null,
        };
    }
}
