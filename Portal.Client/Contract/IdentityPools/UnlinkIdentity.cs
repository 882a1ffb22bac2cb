// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
[Unsigned]
public sealed record UnlinkIdentityRequest : ICognitoRequest<UnlinkIdentityResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    [Required]
    [MaxLength(10)]
    public Dictionary<string, string>? Logins { get; init; }
    [Required]
    public List<string>? LoginsToRemove { get; init; }
}

public sealed record UnlinkIdentityResponse
{
}
