// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListRoleTagsRequest : ICognitoRequest<ListRoleTagsResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
}

public sealed record ListRoleTagsResponse
{
    [Required]
    public List<Tag>? Tags { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
