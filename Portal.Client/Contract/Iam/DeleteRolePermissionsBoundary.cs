// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record DeleteRolePermissionsBoundaryRequest : ICognitoRequest<DeleteRolePermissionsBoundaryResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
}

public sealed record DeleteRolePermissionsBoundaryResponse
{
}
