// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

/// <summary>SimulatePrincipalPolicy: the shared simulation members (<see cref="SimulatePolicyParameters"/>) for a
/// principal's policies (Portal's IAM has roles only), plus any policies given as text.</summary>
[Service("iam")]
public sealed record SimulatePrincipalPolicyRequest : SimulatePolicyParameters, ICognitoRequest<SimulatePrincipalPolicyResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicySourceArn { get; init; }
    public List<string>? PolicyInputList { get; init; }
}

/// <summary>IAM's SimulatePolicyResponse.</summary>
public sealed record SimulatePrincipalPolicyResponse : SimulatePolicyResult;
