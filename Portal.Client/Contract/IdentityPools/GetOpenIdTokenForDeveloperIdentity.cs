// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record GetOpenIdTokenForDeveloperIdentityRequest : ICognitoRequest<GetOpenIdTokenForDeveloperIdentityResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    [Required]
    [MaxLength(10)]
    public Dictionary<string, string>? Logins { get; init; }
    [MaxLength(50)]
    public Dictionary<string, string>? PrincipalTags { get; init; }
    [Range(typeof(long), "1", "86400")]
    public long? TokenDuration { get; init; }
}

public sealed record GetOpenIdTokenForDeveloperIdentityResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityId { get; init; }
    public string? Token { get; init; }
}
