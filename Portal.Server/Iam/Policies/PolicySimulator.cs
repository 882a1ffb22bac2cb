using System.Globalization;
using System.Net;

namespace Portal.Server.Iam.Policies;

/// <summary>One policy given to the simulator: its id as IAM's simulator names it (<c>PolicyInputList.1</c>, an inline
/// policy's name), its source type (<c>role</c>, <c>none</c>…), which kind of policy it is, and the parsed document.</summary>
public sealed record SimulationPolicy(string Id, string SourceType, PolicyLayer Layer, PolicyDocument Document);

/// <summary>A statement that decided (or contributed to) a simulated decision, with its policy and its character range in
/// the policy's text (for highlighting) and line/column positions (IAM's StartPosition/EndPosition).</summary>
public sealed record SimulatedStatement(SimulationPolicy Policy, Statement Statement, TextPosition Start, TextPosition End);

/// <summary>The simulated decision for one action on one resource: the decision, the deciding statement (the first matching
/// Deny, else the first matching Allow, null for an implicit deny), every statement of that effect that matched, the
/// context keys the policies use but the request did not give, and (with a boundary) whether the boundary allowed.</summary>
public sealed record SimulationResult(
    string Action,
    string Resource,
    Decision Decision,
    SimulatedStatement? Deciding,
    IReadOnlyList<SimulatedStatement> Matched,
    IReadOnlyList<string> MissingContextValues,
    bool? AllowedByBoundary,
    PolicyLayer? DeniedBy);

/// <summary>IAM's policy simulator over <see cref="PolicyEvaluator"/>: identity policies, session policies and a permissions
/// boundary, each action against each resource, with typed context entries.</summary>
public static class PolicySimulator
{
    static readonly string[] Types = ["string", "numeric", "boolean", "ip", "binary", "date"];

    /// <summary>A request context from typed entries (IAM's ContextEntry); an invalid value for its type is an
    /// <see cref="ArgumentException"/> whose message IAM would answer.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Context(IEnumerable<(string Name, IReadOnlyList<string> Values, string? Type)> entries)
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values, type) in entries)
        {
            var baseType = type is null ? "string" : type.EndsWith("List", StringComparison.Ordinal) ? type[..^4] : type;
            if (!Types.Contains(baseType)) throw new ArgumentException($"Invalid context key type {type} for {name}.");
            if (type is not null && !type.EndsWith("List", StringComparison.Ordinal) && values.Count > 1)
                throw new ArgumentException($"Context key {name} of type {type} takes one value; use {type}List for several.");
            var normalized = new List<string>(values.Count);
            foreach (var v in values)
                normalized.Add(baseType switch
                {
                    "numeric" => decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? v : throw Invalid(name, v, type!),
                    "boolean" => bool.TryParse(v, out var b) ? (b ? "true" : "false") : throw Invalid(name, v, type!),
                    "ip" => IPAddress.TryParse(v, out _) || IPNetwork.TryParse(v, out _) ? v : throw Invalid(name, v, type!),
                    "date" => ConditionOperators.ParseDate(v) is not null ? v : throw Invalid(name, v, type!),
                    _ => v,
                });
            keys[name] = normalized;
        }
        return keys;
    }

    static ArgumentException Invalid(string name, string value, string type) => new($"Invalid value {value} for context key {name} of type {type}.");

    /// <summary>Simulates <paramref name="action"/> on <paramref name="resource"/>. Session and boundary layers count only
    /// when the list holds a policy of that layer.</summary>
    public static SimulationResult Simulate(IReadOnlyList<SimulationPolicy> policies, string action, string resource,
        IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        var request = new RequestContext { Action = action, Resource = resource };
        foreach (var (k, v) in context) request.Keys[k] = v;
        var identity = policies.Where(p => p.Layer == PolicyLayer.Identity).Select(p => p.Document).ToList();
        var session = policies.Where(p => p.Layer == PolicyLayer.Session).Select(p => p.Document).ToList();
        var boundaryPolicies = policies.Where(p => p.Layer == PolicyLayer.PermissionsBoundary).Select(p => p.Document).ToList();
        var hasBoundary = boundaryPolicies.Count > 0;
        var evaluation = PolicyEvaluator.Evaluate(identity, session, hasBoundary ? boundaryPolicies : null, request);
        var matched = new List<SimulatedStatement>();
        var effect = evaluation.Decision switch
        {
            Decision.ExplicitDeny => Effect.Deny,
            Decision.Allow => Effect.Allow,
            _ => (Effect?)null,
        };
        SimulatedStatement? deciding = null;
        foreach (var p in policies)
            foreach (var s in p.Document.Statements)
            {
                if (effect is null || s.Effect != effect || !PolicyEvaluator.Applies(s, request)) continue;
                var m = new SimulatedStatement(p, s, p.Document.Position(s.Start), p.Document.Position(s.End));
                matched.Add(m);
                if (ReferenceEquals(s, evaluation.Statement)) deciding = m;
            }
        bool? allowedByBoundary = hasBoundary
            ? PolicyEvaluator.Evaluate(boundaryPolicies, request).Decision == Decision.Allow
            : null;
        return new SimulationResult(action, resource, evaluation.Decision, deciding, matched, Missing(policies, request), allowedByBoundary,
            evaluation.Decision == Decision.ImplicitDeny ? evaluation.Layer : null);
    }

    /// <summary>Condition keys (and policy variables) of the statements that apply to the action and resource, that the
    /// request context does not have.</summary>
    static List<string> Missing(IReadOnlyList<SimulationPolicy> policies, RequestContext request)
    {
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in policies)
            foreach (var s in p.Document.Statements)
            {
                if (!PolicyEvaluator.AppliesToAction(s, request.Action)) continue;
                foreach (var c in s.Conditions)
                    if (c.Kind != ConditionOperator.Null && request.Values(c.Key) is null && seen.Add(c.Key)) missing.Add(c.Key);
                foreach (var text in (s.Resource ?? s.NotResource ?? []).Concat(s.Conditions.SelectMany(c => c.Values)))
                    foreach (var variable in PolicyEvaluator.Variables(text))
                        if (request.Values(variable) is null && seen.Add(variable)) missing.Add(variable);
            }
        return missing;
    }
}
