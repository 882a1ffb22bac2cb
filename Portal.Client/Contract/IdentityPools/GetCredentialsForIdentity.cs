// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
[Unsigned]
public sealed record GetCredentialsForIdentityRequest : ICognitoRequest<GetCredentialsForIdentityResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    [MaxLength(10)]
    public Dictionary<string, string>? Logins { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? CustomRoleArn { get; init; }
}

public sealed record GetCredentialsForIdentityResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    public Credentials? Credentials { get; init; }
}
