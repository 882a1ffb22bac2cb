// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record SimulatePrincipalPolicyRequest : ICognitoRequest<SimulatePrincipalPolicyResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PolicySourceArn { get; init; }
    public List<string>? PolicyInputList { get; init; }
    public List<string>? PermissionsBoundaryPolicyInputList { get; init; }
    [Required]
    public List<string>? ActionNames { get; init; }
    public List<string>? ResourceArns { get; init; }
    [StringLength(131072, MinimumLength = 1)]
    public string? ResourcePolicy { get; init; }
    [StringLength(2048, MinimumLength = 1)]
    public string? ResourceOwner { get; init; }
    [StringLength(2048, MinimumLength = 1)]
    public string? CallerArn { get; init; }
    public List<ContextEntry>? ContextEntries { get; init; }
    [StringLength(64, MinimumLength = 1)]
    public string? ResourceHandlingOption { get; init; }
    [Range(1, 1000)]
    public int? MaxItems { get; init; }
    [StringLength(320, MinimumLength = 1)]
    [RegularExpression(@"[\u0020-\u00FF]+")]
    public string? Marker { get; init; }
}

/// <summary>IAM's SimulatePolicyResponse.</summary>
public sealed record SimulatePrincipalPolicyResponse
{
    public List<EvaluationResult>? EvaluationResults { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
