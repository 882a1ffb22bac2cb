using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

/// <summary>Removes tags by key; keys the pool does not have are ignored.</summary>
sealed class UntagResource(UserPoolStore pools, Ids ids) : IOperation<UntagResourceRequest, UntagResourceResponse>
{
    public async Task<UntagResourceResponse> Handle(UntagResourceRequest request, CancellationToken ct)
    {
        var pool = await pools.Find(ids.UserPoolIdOf(request.ResourceArn), ct)
                   ?? throw ResourceNotFoundException.Resource(request.ResourceArn);
        var tags = UserPoolStore.Tags(pool.Row);
        foreach (var key in request.TagKeys!) tags.Remove(key);
        UserPoolStore.SetTags(pool.Row, tags);
        await pools.Save(ct);
        return new UntagResourceResponse();
    }
}
