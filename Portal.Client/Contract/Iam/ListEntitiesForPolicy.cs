// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListEntitiesForPolicyRequest : ICognitoRequest<ListEntitiesForPolicyResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicyArn { get; init; }
    [AllowedValues("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")]
    public string? EntityFilter { get; init; }
    [StringLength(512, MinimumLength = 1)]
    [RegularExpression(@"(\u002F)|(\u002F[\u0021-\u007F]+\u002F)")]
    public string? PathPrefix { get; init; }
    [AllowedValues("PermissionsPolicy", "PermissionsBoundary")]
    public string? PolicyUsageFilter { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
}

public sealed record ListEntitiesForPolicyResponse
{
    public List<PolicyGroup>? PolicyGroups { get; init; }
    public List<PolicyUser>? PolicyUsers { get; init; }
    public List<PolicyRole>? PolicyRoles { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
