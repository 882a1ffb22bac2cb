// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListPolicyVersionsRequest : ICognitoRequest<ListPolicyVersionsResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicyArn { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
}

public sealed record ListPolicyVersionsResponse
{
    public List<PolicyVersion>? Versions { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
