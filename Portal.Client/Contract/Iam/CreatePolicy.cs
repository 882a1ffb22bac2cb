// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record CreatePolicyRequest : ICognitoRequest<CreatePolicyResponse>
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? PolicyName { get; init; }
    [StringLength(512, MinimumLength = 1)]
    [RegularExpression(@"((/[A-Za-z0-9\.,\+@=_-]+)*)/")]
    public string? Path { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? PolicyDocument { get; init; }
    [StringLength(1000)]
    public string? Description { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}

public sealed record CreatePolicyResponse
{
    public Policy? Policy { get; init; }
}
