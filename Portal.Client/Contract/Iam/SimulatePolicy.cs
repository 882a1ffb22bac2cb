// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

/// <summary>The members SimulateCustomPolicy and SimulatePrincipalPolicy share (IAM documents them alike): the
/// permissions boundary, the actions and resources to simulate, the resource policy and its owner, the caller, the
/// context entries and paging. Each request adds its own PolicyInputList (required only by SimulateCustomPolicy).</summary>
public abstract record SimulatePolicyParameters
{
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

/// <summary>IAM's SimulatePolicyResponse: the output of both SimulateCustomPolicy and SimulatePrincipalPolicy.</summary>
public abstract record SimulatePolicyResult
{
    public List<EvaluationResult>? EvaluationResults { get; init; }
    public bool? IsTruncated { get; init; }
    public string? Marker { get; init; }
}
