// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record ListTagsForResourceRequest : ICognitoRequest<ListTagsForResourceResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? ResourceArn { get; init; }
}

public sealed record ListTagsForResourceResponse
{
    public Dictionary<string, string>? Tags { get; init; }
}
