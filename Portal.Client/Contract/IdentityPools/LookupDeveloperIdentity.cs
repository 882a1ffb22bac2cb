// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record LookupDeveloperIdentityRequest : ICognitoRequest<LookupDeveloperIdentityResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    [StringLength(1024, MinimumLength = 1)]
    public string? DeveloperUserIdentifier { get; init; }
    [Range(1, 60)]
    public int? MaxResults { get; init; }
    [StringLength(65535, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}

public sealed record LookupDeveloperIdentityResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    public List<string>? DeveloperUserIdentifierList { get; init; }
    [StringLength(65535, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
