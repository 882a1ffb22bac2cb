// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record ListIdentityPoolsRequest : ICognitoRequest<ListIdentityPoolsResponse>
{
    [Required]
    [Range(1, 60)]
    public int? MaxResults { get; init; }
    [StringLength(65535, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}

public sealed record ListIdentityPoolsResponse
{
    public List<IdentityPoolShortDescription>? IdentityPools { get; init; }
    [StringLength(65535, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
