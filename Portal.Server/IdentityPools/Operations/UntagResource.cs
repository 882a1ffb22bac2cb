using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using UntagResourceRequest = Portal.Client.Contract.IdentityPools.UntagResourceRequest;
using UntagResourceResponse = Portal.Client.Contract.IdentityPools.UntagResourceResponse;

namespace Portal.Server.IdentityPools.Operations;

sealed class UntagResource(IdentityPoolStore pools, IdentityIds ids, PortalDb db) : IOperation<UntagResourceRequest, UntagResourceResponse>
{
    public async Task<UntagResourceResponse> Handle(UntagResourceRequest request, CancellationToken ct)
    {
        var row = await pools.Find(ids.IdentityPoolIdOf(request.ResourceArn), ct)
                  ?? throw new ResourceNotFoundException($"Resource {request.ResourceArn} does not exist.");
        var tags = IdentityPoolStore.Tags(row);
        foreach (var key in request.TagKeys!) tags.Remove(key);
        row.Tags = IdentityPoolStore.Write(tags);
        await db.SaveChangesAsync(ct);
        return new UntagResourceResponse();
    }
}
