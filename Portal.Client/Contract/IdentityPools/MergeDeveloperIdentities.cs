// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record MergeDeveloperIdentitiesRequest : ICognitoRequest<MergeDeveloperIdentitiesResponse>
{
    [Required]
    [StringLength(1024, MinimumLength = 1)]
    public string? SourceUserIdentifier { get; init; }
    [Required]
    [StringLength(1024, MinimumLength = 1)]
    public string? DestinationUserIdentifier { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w._-]+")]
    public string? DeveloperProviderName { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
}

public sealed record MergeDeveloperIdentitiesResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
}
