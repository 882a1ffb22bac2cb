// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record CreatePolicyVersionRequest : ICognitoRequest<CreatePolicyVersionResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicyArn { get; init; }
    [Required]
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? PolicyDocument { get; init; }
    public bool? SetAsDefault { get; init; }
}

public sealed record CreatePolicyVersionResponse
{
    public PolicyVersion? PolicyVersion { get; init; }
}
