// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record UntagRoleRequest : ICognitoRequest<UntagRoleResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [Length(0, 50)]
    public List<string>? TagKeys { get; init; }
}

public sealed record UntagRoleResponse
{
}
