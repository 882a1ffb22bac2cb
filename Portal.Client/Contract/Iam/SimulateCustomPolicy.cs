// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

/// <summary>SimulateCustomPolicy: the shared simulation members (<see cref="SimulatePolicyParameters"/>) with the
/// policies given as text.</summary>
[Service("iam")]
public sealed record SimulateCustomPolicyRequest : SimulatePolicyParameters, ICognitoRequest<SimulateCustomPolicyResponse>
{
    [Required]
    public List<string>? PolicyInputList { get; init; }
}

/// <summary>IAM's SimulatePolicyResponse (the output of SimulateCustomPolicy and SimulatePrincipalPolicy).</summary>
public sealed record SimulateCustomPolicyResponse : SimulatePolicyResult;
