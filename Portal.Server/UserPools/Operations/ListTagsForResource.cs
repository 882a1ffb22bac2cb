using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

sealed class ListTagsForResource(UserPoolStore pools, Ids ids) : IOperation<ListTagsForResourceRequest, ListTagsForResourceResponse>
{
    public async Task<ListTagsForResourceResponse> Handle(ListTagsForResourceRequest request, CancellationToken ct)
    {
        var pool = await pools.Find(ids.UserPoolIdOf(request.ResourceArn), ct)
                   ?? throw ResourceNotFoundException.Resource(request.ResourceArn);
        return new ListTagsForResourceResponse { Tags = UserPoolStore.Tags(pool.Row) };
    }
}
