// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListAttachedRolePoliciesRequest : ICognitoRequest<ListAttachedRolePoliciesResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [StringLength(512, MinimumLength = 1)]
    public string? PathPrefix { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
}

public sealed record ListAttachedRolePoliciesResponse
{
    public List<AttachedPolicy>? AttachedPolicies { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}

public sealed record AttachedPolicy
{
    public string? PolicyName { get; init; }
    public string? PolicyArn { get; init; }
}
