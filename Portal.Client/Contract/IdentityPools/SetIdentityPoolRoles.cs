// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record SetIdentityPoolRolesRequest : ICognitoRequest<SetIdentityPoolRolesResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    [Required]
    [MaxLength(2)]
    public Dictionary<string, string>? Roles { get; init; }
    [MaxLength(10)]
    public Dictionary<string, RoleMapping>? RoleMappings { get; init; }
}

public sealed record SetIdentityPoolRolesResponse
{
}
