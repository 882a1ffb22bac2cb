// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListPoliciesRequest : ICognitoRequest<ListPoliciesResponse>
{
    [AllowedValues("All", "AWS", "Local")]
    public string? Scope { get; init; }
    public bool? OnlyAttached { get; init; }
    [StringLength(512, MinimumLength = 1)]
    [RegularExpression(@"((/[A-Za-z0-9\.,\+@=_-]+)*)/")]
    public string? PathPrefix { get; init; }
    [AllowedValues("PermissionsPolicy", "PermissionsBoundary")]
    public string? PolicyUsageFilter { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
}

public sealed record ListPoliciesResponse
{
    public List<Policy>? Policies { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
