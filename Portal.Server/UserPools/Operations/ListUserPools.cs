using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Pages of at most MaxResults (1-60, required) pools, oldest first (so the first page shows the bootstrapped
/// pools); NextToken is absent on the last page.</summary>
sealed class ListUserPools(PortalDb db) : IOperation<ListUserPoolsRequest, ListUserPoolsResponse>
{
    public async Task<ListUserPoolsResponse> Handle(ListUserPoolsRequest request, CancellationToken ct)
    {
        var max = request.MaxResults!.Value;
        var query = db.UserPools.AsNoTracking().AsQueryable();
        if (PageToken.After("userpools", request.NextToken) is { } after)
        {
            var (created, id) = Key(after);
            query = query.Where(p => p.CreatedAt > created || (p.CreatedAt == created && string.Compare(p.Id, id) > 0));
        }
        query = query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id);
        var page = await query.Take(max + 1).ToListAsync(ct);
        var more = page.Count > max;
        if (more) page.RemoveAt(max);
        return new ListUserPoolsResponse
        {
            UserPools = page.Select(p =>
            {
                var settings = UserPoolStore.Read(p);
                return new UserPoolDescriptionType
                {
                    Id = p.Id, Name = p.Name, LambdaConfig = settings.LambdaConfig ?? new LambdaConfigType(), Status = settings.Status,
                    CreationDate = p.CreatedAt, LastModifiedDate = p.LastModifiedAt,
                };
            }).ToList(),
            NextToken = more ? PageToken.Next("userpools", $"{page[^1].CreatedAt.UtcTicks}:{page[^1].Id}") : null,
        };
    }

    static (DateTimeOffset Created, string Id) Key(string key)
    {
        var split = key.IndexOf(':');
        return split > 0 && long.TryParse(key[..split], out var ticks) && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), key[(split + 1)..])
            : throw InvalidParameterException.PaginationToken();
    }
}
