// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record SetDefaultPolicyVersionRequest : ICognitoRequest<SetDefaultPolicyVersionResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicyArn { get; init; }
    [Required]
    [RegularExpression(@"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?")]
    public string? VersionId { get; init; }
}

public sealed record SetDefaultPolicyVersionResponse
{
}
