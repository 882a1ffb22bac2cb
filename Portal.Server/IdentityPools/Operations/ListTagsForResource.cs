using Portal.Client.Contract;
using Portal.Server.Engine;
using ListTagsForResourceRequest = Portal.Client.Contract.IdentityPools.ListTagsForResourceRequest;
using ListTagsForResourceResponse = Portal.Client.Contract.IdentityPools.ListTagsForResourceResponse;

namespace Portal.Server.IdentityPools.Operations;

sealed class ListTagsForResource(IdentityPoolStore pools, IdentityIds ids) : IOperation<ListTagsForResourceRequest, ListTagsForResourceResponse>
{
    public async Task<ListTagsForResourceResponse> Handle(ListTagsForResourceRequest request, CancellationToken ct)
    {
        var row = await pools.Find(ids.IdentityPoolIdOf(request.ResourceArn), ct)
                  ?? throw new ResourceNotFoundException($"Resource {request.ResourceArn} does not exist.");
        return new ListTagsForResourceResponse { Tags = IdentityPoolStore.Tags(row) };
    }
}
