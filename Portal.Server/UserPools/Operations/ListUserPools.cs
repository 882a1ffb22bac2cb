using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class ListUserPools(PortalDb db) : IOperation<ListUserPoolsRequest, ListUserPoolsResponse>
{
    public async Task<ListUserPoolsResponse> Handle(ListUserPoolsRequest request, CancellationToken ct)
    {
        var max = request.MaxResults ?? throw new InvalidParameterException(
            "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null");
        var query = db.UserPools.AsNoTracking().OrderBy(p => p.Id).AsQueryable();
        if (!string.IsNullOrEmpty(request.NextToken)) query = query.Where(p => string.Compare(p.Id, request.NextToken) > 0);
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
                    Id = p.Id, Name = p.Name, LambdaConfig = settings.LambdaConfig, Status = settings.Status,
                    CreationDate = p.CreatedAt, LastModifiedDate = p.LastModifiedAt,
                };
            }).ToList(),
            NextToken = more ? page[^1].Id : null,
        };
    }
}
