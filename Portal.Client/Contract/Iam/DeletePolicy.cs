// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record DeletePolicyRequest : ICognitoRequest<DeletePolicyResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicyArn { get; init; }
}

public sealed record DeletePolicyResponse
{
}
