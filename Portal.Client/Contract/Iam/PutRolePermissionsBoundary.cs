// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record PutRolePermissionsBoundaryRequest : ICognitoRequest<PutRolePermissionsBoundaryResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PermissionsBoundary { get; init; }
}

public sealed record PutRolePermissionsBoundaryResponse
{
}
