using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Pages of at most MaxResults (1-60, default 60) app clients in client id order.</summary>
sealed class ListUserPoolClients(PortalDb db, UserPoolStore pools) : IOperation<ListUserPoolClientsRequest, ListUserPoolClientsResponse>
{
    public async Task<ListUserPoolClientsResponse> Handle(ListUserPoolClientsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var max = request.MaxResults ?? 60;
        var listing = "userpoolclients:" + pool.Row.Id;
        var query = db.AppClients.AsNoTracking().Where(c => c.UserPoolId == pool.Row.Id).OrderBy(c => c.ClientId).AsQueryable();
        if (PageToken.After(listing, request.NextToken) is { } after) query = query.Where(c => string.Compare(c.ClientId, after) > 0);
        var page = await query.Select(c => new UserPoolClientDescription { ClientId = c.ClientId, UserPoolId = c.UserPoolId, ClientName = c.ClientName })
            .Take(max + 1).ToListAsync(ct);
        var more = page.Count > max;
        if (more) page.RemoveAt(max);
        return new ListUserPoolClientsResponse
        {
            UserPoolClients = page,
            NextToken = more ? PageToken.Next(listing, page[^1].ClientId!) : null,
        };
    }
}
