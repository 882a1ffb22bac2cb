// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record DescribeIdentityPoolRequest : ICognitoRequest<DescribeIdentityPoolResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
}

/// <summary>The IdentityPool shape.</summary>
public sealed record DescribeIdentityPoolResponse : IdentityPool;
