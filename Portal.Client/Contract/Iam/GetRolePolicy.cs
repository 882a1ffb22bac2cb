// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record GetRolePolicyRequest : ICognitoRequest<GetRolePolicyResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? PolicyName { get; init; }
}

public sealed record GetRolePolicyResponse
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? PolicyName { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? PolicyDocument { get; init; }
}
