using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;
using TagResourceRequest = Portal.Client.Contract.IdentityPools.TagResourceRequest;
using TagResourceResponse = Portal.Client.Contract.IdentityPools.TagResourceResponse;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Adds tags to an identity pool (by its ARN), overwriting the values of keys it already has.</summary>
sealed class TagResource(IdentityPoolStore pools, IdentityIds ids, PortalDb db) : IOperation<TagResourceRequest, TagResourceResponse>
{
    public async Task<TagResourceResponse> Handle(TagResourceRequest request, CancellationToken ct)
    {
        var row = await pools.Find(ids.IdentityPoolIdOf(request.ResourceArn), ct)
                  ?? throw new ResourceNotFoundException($"Resource {request.ResourceArn} does not exist.");
        row.Tags = IdentityPoolStore.Write(Tags.Merge(IdentityPoolStore.Tags(row), request.Tags!, Tags.IdentityPool));
        await db.SaveChangesAsync(ct);
        return new TagResourceResponse();
    }
}
