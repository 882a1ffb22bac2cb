using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Iam.Policies;

namespace Portal.Server.Iam.Operations;

// IAM's policy simulator: SimulateCustomPolicy (policies given as text) and SimulatePrincipalPolicy (a role's inline
// policies, its attached managed policies and its permissions boundary, plus any given). Both evaluate each action on each resource with Portal's PolicyEvaluator, the engine that
// decides every other request, and answer IAM's EvaluationResults with the matched statements' positions.

sealed class SimulateCustomPolicy : IOperation<SimulateCustomPolicyRequest, SimulateCustomPolicyResponse>
{
    public Task<SimulateCustomPolicyResponse> Handle(SimulateCustomPolicyRequest request, CancellationToken ct)
    {
        var policies = Simulation.Inputs(request.PolicyInputList!, "PolicyInputList", "none", PolicyLayer.Identity)
            .Concat(Simulation.Inputs(request.PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList", "none", PolicyLayer.PermissionsBoundary))
            .ToList();
        var (results, marker) = Simulation.Run(policies, request);
        return Task.FromResult(new SimulateCustomPolicyResponse { EvaluationResults = results, IsTruncated = marker is not null, Marker = marker });
    }
}

sealed class SimulatePrincipalPolicy(IamStore iam) : IOperation<SimulatePrincipalPolicyRequest, SimulatePrincipalPolicyResponse>
{
    public async Task<SimulatePrincipalPolicyResponse> Handle(SimulatePrincipalPolicyRequest request, CancellationToken ct)
    {
        // Portal's IAM has roles only (no users or groups): the policy source is a role, its policies read by the loader
        // every request is decided with (inline and attached managed policies, and its permissions boundary).
        var arn = request.PolicySourceArn!;
        var role = await RolePermissions.Load(iam.Db, null, arn, ct) ?? throw new NoSuchEntityException($"The role with ARN {arn} cannot be found.");
        // A boundary given as input replaces the role's own, as IAM's simulator does.
        var boundary = request.PermissionsBoundaryPolicyInputList is { Count: > 0 }
            ? Simulation.Inputs(request.PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList", "none", PolicyLayer.PermissionsBoundary)
            : role.Boundary is { } b ? [new SimulationPolicy(b.Name, b.SourceType, PolicyLayer.PermissionsBoundary, b.Document)] : [];
        var policies = role.Identity.Select(p => new SimulationPolicy(p.Name, p.SourceType, PolicyLayer.Identity, p.Document))
            .Concat(Simulation.Inputs(request.PolicyInputList, "PolicyInputList", "none", PolicyLayer.Identity))
            .Concat(boundary)
            .ToList();
        var (results, marker) = Simulation.Run(policies, request);
        return new SimulatePrincipalPolicyResponse { EvaluationResults = results, IsTruncated = marker is not null, Marker = marker };
    }
}

/// <summary>What both simulate operations share: parsing the inputs, running each action on each resource, paging, and
/// IAM's result shapes.</summary>
static class Simulation
{
    public const int MaxActions = 1000, MaxResources = 1000;

    public static PolicyDocument Parse(string? json, string id)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new InvalidInputException($"Policy {id} is empty.");
        try
        {
            return PolicyDocument.Parse(json, PolicyKind.Identity);
        }
        catch (MalformedPolicyDocumentException e)
        {
            throw new InvalidInputException($"Policy {id} is invalid: {e.Message}");
        }
    }

    public static IEnumerable<SimulationPolicy> Inputs(List<string>? documents, string member, string sourceType, PolicyLayer layer) =>
        (documents ?? []).Select((json, i) => new SimulationPolicy($"{member}.{i + 1}", sourceType, layer, Parse(json, $"{member}.{i + 1}")));

    public static (List<EvaluationResult> Results, string? Marker) Run(List<SimulationPolicy> policies, SimulatePolicyParameters request)
    {
        var (actions, resources, entries, maxItems, marker) = (request.ActionNames!, request.ResourceArns, request.ContextEntries, request.MaxItems, request.Marker);
        if (actions.Any(a => a is null) || resources?.Any(r => string.IsNullOrEmpty(r)) == true || entries?.Any(e => e is null || e.ContextKeyValues?.Any(v => v is null) == true) == true)
            throw new InvalidInputException("ActionNames, ResourceArns and ContextEntries must not hold null or empty members.");
        if (actions.Count is 0 or > MaxActions) throw new InvalidInputException($"ActionNames must list 1 to {MaxActions} actions.");
        foreach (var a in actions)
            if (a.Length is < 3 or > 128 || a.Contains('*', StringComparison.Ordinal) || a.IndexOf(':', StringComparison.Ordinal) <= 0)
                throw new InvalidInputException($"Invalid action name {a}: an action is service:Operation, without wildcards.");
        var arns = resources is { Count: > 0 } ? resources : ["*"];
        if (arns.Count > MaxResources) throw new InvalidInputException($"ResourceArns must list at most {MaxResources} resources.");
        Dictionary<string, IReadOnlyList<string>> context;
        try
        {
            context = PolicySimulator.Context((entries ?? []).Select(e => (
                e.ContextKeyName ?? throw new InvalidInputException("A context entry needs a ContextKeyName."),
                (IReadOnlyList<string>)(e.ContextKeyValues ?? []), e.ContextKeyType)));
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException(e.Message);
        }
        var start = 0;
        if (marker is not null && (!int.TryParse(IamStore.AfterKey(marker), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out start) || start < 0))
            throw new InvalidInputException("Invalid Marker.");
        var page = maxItems ?? 100;
        var results = new List<EvaluationResult>();
        var total = actions.Count * arns.Count;
        for (var i = start; i < total && results.Count < page; i++)
            results.Add(ToResult(PolicySimulator.Simulate(policies, actions[i / arns.Count], arns[i % arns.Count], context)));
        var next = start + results.Count;
        return (results, next < total ? IamStore.Marker(next.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);
    }

    static EvaluationResult ToResult(SimulationResult r) => new()
    {
        EvalActionName = r.Action,
        EvalResourceName = r.Resource,
        EvalDecision = Decision(r.Decision),
        MatchedStatements = [.. r.Matched.Select(m => new EvaluationStatement
        {
            SourcePolicyId = m.Policy.Id,
            SourcePolicyType = m.Policy.SourceType,
            StartPosition = new Position { Line = m.Start.Line, Column = m.Start.Column },
            EndPosition = new Position { Line = m.End.Line, Column = m.End.Column },
        })],
        MissingContextValues = [.. r.MissingContextValues],
        PermissionsBoundaryDecisionDetail = r.AllowedByBoundary is { } b ? new PermissionsBoundaryDecisionDetail { AllowedByPermissionsBoundary = b } : null,
    };

    public static string Decision(Policies.Decision d) => d switch
    {
        Policies.Decision.Allow => "allowed",
        Policies.Decision.ExplicitDeny => "explicitDeny",
        _ => "implicitDeny",
    };
}
