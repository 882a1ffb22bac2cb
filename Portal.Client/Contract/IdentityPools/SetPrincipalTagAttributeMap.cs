// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record SetPrincipalTagAttributeMapRequest : ICognitoRequest<SetPrincipalTagAttributeMapResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string? IdentityProviderName { get; init; }
    public bool? UseDefaults { get; init; }
    [MaxLength(50)]
    public Dictionary<string, string>? PrincipalTags { get; init; }
}

public sealed record SetPrincipalTagAttributeMapResponse
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    public string? IdentityProviderName { get; init; }
    public bool? UseDefaults { get; init; }
    [MaxLength(50)]
    public Dictionary<string, string>? PrincipalTags { get; init; }
}
