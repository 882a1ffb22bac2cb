using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Pages of at most MaxResults (1-60, default 60) terms documents of the pool, in id order.</summary>
sealed class ListTerms(PortalDb db, UserPoolStore pools) : IOperation<ListTermsRequest, ListTermsResponse>
{
    public async Task<ListTermsResponse> Handle(ListTermsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var max = request.MaxResults ?? 60;
        var listing = "terms:" + pool.Row.Id;
        var query = db.Terms.AsNoTracking().Where(t => t.UserPoolId == pool.Row.Id).OrderBy(t => t.TermsId).AsQueryable();
        if (PageToken.After(listing, request.NextToken) is { } after) query = query.Where(t => string.Compare(t.TermsId, after) > 0);
        var page = await query.Take(max + 1).ToListAsync(ct);
        var more = page.Count > max;
        if (more) page.RemoveAt(max);
        return new ListTermsResponse
        {
            Terms = page.Select(t => new TermsDescriptionType
            {
                TermsId = t.TermsId, TermsName = t.TermsName, Enforcement = t.Enforcement, CreationDate = t.CreatedAt, LastModifiedDate = t.LastModifiedAt,
            }).ToList(),
            NextToken = more ? PageToken.Next(listing, page[^1].TermsId) : null,
        };
    }
}
