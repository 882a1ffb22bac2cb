// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record CreateRoleRequest : ICognitoRequest<CreateRoleResponse>
{
    [StringLength(512, MinimumLength = 1)]
    [RegularExpression(@"(?:(\u002F)|(\u002F[\u0021-\u007F]+\u002F))$")]
    public string? Path { get; init; }
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? AssumeRolePolicyDocument { get; init; }
    [StringLength(1000, MinimumLength = 0)]
    [RegularExpression(@"[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*")]
    public string? Description { get; init; }
    [Range(3600, 43200)]
    public int? MaxSessionDuration { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? PermissionsBoundary { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}

public sealed record CreateRoleResponse
{
    [Required]
    public Role? Role { get; init; }
}
