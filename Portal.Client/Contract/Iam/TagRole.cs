// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record TagRoleRequest : ICognitoRequest<TagRoleResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}

public sealed record TagRoleResponse
{
}
