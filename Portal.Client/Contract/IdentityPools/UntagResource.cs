// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record UntagResourceRequest : ICognitoRequest<UntagResourceResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? ResourceArn { get; init; }
    [Required]
    public List<string>? TagKeys { get; init; }
}

public sealed record UntagResourceResponse
{
}
