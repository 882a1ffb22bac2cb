using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class ListUsers(UserPoolStore pools, UserSearch search) : IOperation<ListUsersRequest, ListUsersResponse>
{
    public async Task<ListUsersResponse> Handle(ListUsersRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var filter = UserFilter.Parse(request.Filter);
        AttributeRules.CheckReadable(pool.Settings, request.AttributesToGet);
        // The token continues this listing only: same pool, same filter.
        var scope = $"ListUsers\n{pool.Row.Id}\n{filter}";
        var after = PaginationToken.Read(request.PaginationToken, scope, UserSearch.KeyCount(filter));
        var limit = request.Limit is null or 0 ? 60 : request.Limit.Value;
        var page = await search.Find(pool.Row, filter, after, limit, ct);
        return new ListUsersResponse
        {
            Users = page.Users.Select(u => UserStore.ToUserType(u, request.AttributesToGet)).ToList(),
            PaginationToken = page.NextKeys is null ? null : PaginationToken.Create(scope, page.NextKeys),
        };
    }
}
