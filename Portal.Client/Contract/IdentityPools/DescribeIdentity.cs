// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record DescribeIdentityRequest : ICognitoRequest<DescribeIdentityResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
}

public sealed record DescribeIdentityResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    public List<string>? Logins { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}
