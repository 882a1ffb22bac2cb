// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
[Unsigned]
public sealed record GetIdRequest : ICognitoRequest<GetIdResponse>
{
    [StringLength(15, MinimumLength = 1)]
    [RegularExpression(@"\d+")]
    public string? AccountId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [MaxLength(10)]
    public Dictionary<string, string>? Logins { get; init; }
}

public sealed record GetIdResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
}
