// IAM policy simulator shapes, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

/// <summary>A context key and its values for a simulation (ContextKeyType: string, stringList, numeric, numericList,
/// boolean, booleanList, ip, ipList, binary, binaryList, date, dateList).</summary>
public sealed record ContextEntry
{
    [StringLength(256, MinimumLength = 5)]
    public string? ContextKeyName { get; init; }
    public List<string>? ContextKeyValues { get; init; }
    [AllowedValues(null, "string", "stringList", "numeric", "numericList", "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList")]
    public string? ContextKeyType { get; init; }
}

/// <summary>The result of simulating one action on one resource. EvalDecision: allowed, explicitDeny or implicitDeny.</summary>
public sealed record EvaluationResult
{
    [Required]
    public string? EvalActionName { get; init; }
    public string? EvalResourceName { get; init; }
    [Required]
    public string? EvalDecision { get; init; }
    public List<EvaluationStatement>? MatchedStatements { get; init; }
    public List<string>? MissingContextValues { get; init; }
    public OrganizationsDecisionDetail? OrganizationsDecisionDetail { get; init; }
    public PermissionsBoundaryDecisionDetail? PermissionsBoundaryDecisionDetail { get; init; }
    public Dictionary<string, string>? EvalDecisionDetails { get; init; }
    public List<ResourceSpecificResult>? ResourceSpecificResults { get; init; }
}

/// <summary>IAM's Statement shape in a simulation's result: which policy and where in it (line and column from 1).</summary>
public sealed record EvaluationStatement
{
    public string? SourcePolicyId { get; init; }
    public string? SourcePolicyType { get; init; }
    public Position? StartPosition { get; init; }
    public Position? EndPosition { get; init; }
}

public sealed record Position
{
    public int? Line { get; init; }
    public int? Column { get; init; }
}

public sealed record OrganizationsDecisionDetail
{
    public bool? AllowedByOrganizations { get; init; }
}

public sealed record PermissionsBoundaryDecisionDetail
{
    public bool? AllowedByPermissionsBoundary { get; init; }
}

public sealed record ResourceSpecificResult
{
    [Required]
    public string? EvalResourceName { get; init; }
    [Required]
    public string? EvalResourceDecision { get; init; }
    public List<EvaluationStatement>? MatchedStatements { get; init; }
    public List<string>? MissingContextValues { get; init; }
    public Dictionary<string, string>? EvalDecisionDetails { get; init; }
    public PermissionsBoundaryDecisionDetail? PermissionsBoundaryDecisionDetail { get; init; }
}
