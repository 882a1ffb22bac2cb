// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListRolesRequest : ICognitoRequest<ListRolesResponse>
{
    [StringLength(512, MinimumLength = 1)]
    [RegularExpression(@"\u002F[\u0021-\u007F]*")]
    public string? PathPrefix { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
}

public sealed record ListRolesResponse
{
    [Required]
    public List<Role>? Roles { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
