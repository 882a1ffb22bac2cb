using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
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
        var tags = IdentityPoolStore.Tags(row);
        foreach (var (k, v) in request.Tags!) tags[k] = v ?? "";
        IdentityPoolRules.CheckTags(tags);
        row.Tags = IdentityPoolStore.Write(tags);
        await db.SaveChangesAsync(ct);
        return new TagResourceResponse();
    }
}
