using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

/// <summary>Adds tags to a user pool (by its ARN), overwriting the values of keys it already has.</summary>
sealed class TagResource(UserPoolStore pools, Ids ids) : IOperation<TagResourceRequest, TagResourceResponse>
{
    public async Task<TagResourceResponse> Handle(TagResourceRequest request, CancellationToken ct)
    {
        Tags.Check(request.Tags);
        var pool = await pools.Find(ids.UserPoolIdOf(request.ResourceArn), ct)
                   ?? throw ResourceNotFoundException.Resource(request.ResourceArn);
        UserPoolStore.SetTags(pool.Row, Tags.Merge(UserPoolStore.Tags(pool.Row), request.Tags!));
        await pools.Save(ct);
        return new TagResourceResponse();
    }
}
