// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record ListIdentitiesRequest : ICognitoRequest<ListIdentitiesResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [Required]
    [Range(1, 60)]
    public int? MaxResults { get; init; }
    [StringLength(65535, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
    public bool? HideDisabled { get; init; }
}

public sealed record ListIdentitiesResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    public List<IdentityDescription>? Identities { get; init; }
    [StringLength(65535, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
