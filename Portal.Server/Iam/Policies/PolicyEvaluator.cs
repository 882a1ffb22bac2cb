using System.Text;

namespace Portal.Server.Iam.Policies;

/// <summary>Who makes a request, as a policy's Principal element names it: a type (AWS, Federated, Service) and its ids
/// (for AWS, the principal's ARN and its account id).</summary>
public sealed record RequestPrincipal(string Type, IReadOnlyList<string> Ids);

/// <summary>One request to decide: its action (<c>sts:AssumeRoleWithWebIdentity</c>), resource ARN, principal and
/// context keys (<c>aws:SourceIp</c>, <c>cognito-identity.amazonaws.com:aud</c>, …), each key single or multi-valued.
/// Context keys are matched regardless of case, as IAM matches them.</summary>
public sealed class RequestContext
{
    public required string Action { get; init; }
    public string? Resource { get; init; }
    public RequestPrincipal? Principal { get; init; }
    public Dictionary<string, IReadOnlyList<string>> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    public RequestContext With(string key, params IReadOnlyList<string> values)
    {
        Keys[key] = values;
        return this;
    }

    public IReadOnlyList<string>? Values(string key) => Keys.GetValueOrDefault(key);
}

public enum Decision { ImplicitDeny, Allow, ExplicitDeny }

/// <summary>The kinds of policies a request is evaluated against, as AWS's evaluation logic combines them.</summary>
public enum PolicyLayer { Identity, Session, PermissionsBoundary }

/// <summary>The decision and the statement that made it (the first matching Deny, else the first matching Allow); for an
/// implicit deny by a session policy or a permissions boundary, <see cref="Layer"/> names which one did not allow.</summary>
public sealed record Evaluation(Decision Decision, PolicyDocument? Policy, Statement? Statement)
{
    public bool Allowed => Decision == Decision.Allow;

    /// <summary>The kind of policy that decided (null when no policy applied at all).</summary>
    public PolicyLayer? Layer { get; init; }
}

/// <summary>One statement that applied to a request, with its policy and the kind of policy.</summary>
public sealed record MatchedStatement(PolicyLayer Layer, PolicyDocument Policy, Statement Statement);

/// <summary>IAM's evaluation of policy documents against a request: default deny, an explicit Deny wins over any Allow,
/// Action/NotAction, Resource/NotResource and Principal/NotPrincipal with wildcards, Conditions (every operator, IfExists,
/// ForAnyValue/ForAllValues, Null), and policy variables (<c>${aws:username}</c>, <c>${cognito-identity.amazonaws.com:sub}</c>,
/// <c>${key, 'default'}</c>) in Resource and condition values.</summary>
public static class PolicyEvaluator
{
    /// <summary>The decision of one set of policies taken together (e.g. a role's identity policies, or a trust policy).</summary>
    public static Evaluation Evaluate(IEnumerable<PolicyDocument> policies, RequestContext request) => Evaluate(policies, request, PolicyLayer.Identity);

    static Evaluation Evaluate(IEnumerable<PolicyDocument> policies, RequestContext request, PolicyLayer layer)
    {
        Evaluation? allow = null;
        foreach (var policy in policies)
            foreach (var s in policy.Statements)
            {
                if (!Applies(s, request)) continue;
                if (s.Effect == Effect.Deny) return new Evaluation(Decision.ExplicitDeny, policy, s) { Layer = layer };
                allow ??= new Evaluation(Decision.Allow, policy, s) { Layer = layer };
            }
        return allow ?? new Evaluation(Decision.ImplicitDeny, null, null);
    }

    public static Evaluation Evaluate(PolicyDocument policy, RequestContext request) => Evaluate([policy], request);

    /// <summary>Identity policies intersected with session policies: allowed only when both allow, any explicit Deny wins.
    /// With no session policies, the identity policies alone decide.</summary>
    public static Evaluation EvaluateSession(IEnumerable<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument> sessionPolicies, RequestContext request) =>
        Evaluate(identityPolicies, sessionPolicies, null, request);

    /// <summary>AWS's evaluation logic for a principal's request within one account: an explicit Deny in any policy wins;
    /// else the identity policies must allow, and so must the permissions boundary (when the principal has one) and the
    /// session policies (when the session has any). Null or empty <paramref name="sessionPolicies"/>: no session policy;
    /// null <paramref name="boundary"/>: no permissions boundary (an empty list is a boundary that allows nothing).</summary>
    public static Evaluation Evaluate(IEnumerable<PolicyDocument> identityPolicies, IReadOnlyList<PolicyDocument>? sessionPolicies,
        IReadOnlyList<PolicyDocument>? boundary, RequestContext request)
    {
        var identity = Evaluate(identityPolicies, request, PolicyLayer.Identity);
        if (identity.Decision == Decision.ExplicitDeny) return identity;
        Evaluation? bound = null, session = null;
        if (boundary is not null)
        {
            bound = Evaluate(boundary, request, PolicyLayer.PermissionsBoundary);
            if (bound.Decision == Decision.ExplicitDeny) return bound;
        }
        if (sessionPolicies is { Count: > 0 })
        {
            session = Evaluate(sessionPolicies, request, PolicyLayer.Session);
            if (session.Decision == Decision.ExplicitDeny) return session;
        }
        if (identity.Decision != Decision.Allow) return identity;
        if (bound is { Decision: not Decision.Allow }) return bound with { Layer = PolicyLayer.PermissionsBoundary };
        if (session is { Decision: not Decision.Allow }) return session with { Layer = PolicyLayer.Session };
        return identity;
    }

    /// <summary>Every statement of the policies that applies to the request, in order (the simulator's matched statements).</summary>
    public static IEnumerable<MatchedStatement> Matching(IEnumerable<PolicyDocument> policies, PolicyLayer layer, RequestContext request)
    {
        foreach (var policy in policies)
            foreach (var s in policy.Statements)
                if (Applies(s, request)) yield return new MatchedStatement(layer, policy, s);
    }

    /// <summary>Whether the statement applies to the request (its effect then counts).</summary>
    public static bool Applies(Statement s, RequestContext request)
    {
        if (s.Action is not null && !s.Action.Any(a => ActionMatches(a, request.Action))) return false;
        if (s.NotAction is not null && s.NotAction.Any(a => ActionMatches(a, request.Action))) return false;
        if (s.Resource is not null && !s.Resource.Any(r => ResourceMatches(r, request))) return false;
        if (s.NotResource is not null && s.NotResource.Any(r => ResourceMatches(r, request))) return false;
        if (s.Principal is not null && !PrincipalMatches(s.Principal, request.Principal)) return false;
        if (s.NotPrincipal is not null && PrincipalMatches(s.NotPrincipal, request.Principal)) return false;
        foreach (var c in s.Conditions)
            if (!ConditionHolds(c, request)) return false;
        return true;
    }

    /// <summary>Whether the statement's Action/NotAction covers the action (regardless of resource and conditions).</summary>
    public static bool AppliesToAction(Statement s, string action) =>
        (s.Action is null || s.Action.Any(a => ActionMatches(a, action))) && (s.NotAction is null || !s.NotAction.Any(a => ActionMatches(a, action)));

    /// <summary>The context keys named by the policy variables of a text (<c>${aws:username}</c>, <c>${key, 'default'}</c>
    /// without a default counts, with one does not); the literal escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c> are none.</summary>
    public static IEnumerable<string> Variables(string text)
    {
        var i = 0;
        while ((i = text.IndexOf("${", i, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf('}', i + 2);
            if (end < 0) yield break;
            var inner = text[(i + 2)..end].Trim();
            i = end + 1;
            if (inner is "*" or "?" or "$" || inner.Contains(',', StringComparison.Ordinal)) continue;
            yield return inner;
        }
    }

    /// <summary>Actions are "service:Name" and match regardless of case, with * and ? wildcards.</summary>
    static bool ActionMatches(string pattern, string action) => pattern == "*" || Wildcard.Match(pattern, action, ignoreCase: true);

    static bool ResourceMatches(string pattern, RequestContext request)
    {
        if (pattern == "*") return true;
        if (request.Resource is null) return false;
        var resolved = Substitute(pattern, request, wildcardSafe: true);
        if (resolved is null) return false;
        return resolved.StartsWith("arn:", StringComparison.Ordinal) && request.Resource.StartsWith("arn:", StringComparison.Ordinal)
            ? ConditionOperators.Arn(request.Resource, resolved)
            : Wildcard.Match(resolved, request.Resource, ignoreCase: false);
    }

    static bool PrincipalMatches(PrincipalSet set, RequestPrincipal? principal)
    {
        if (set.Any) return true;
        if (principal is null || !set.ByType.TryGetValue(principal.Type, out var ids)) return false;
        foreach (var id in ids)
        {
            if (id == "*") return true;
            foreach (var candidate in principal.Ids)
            {
                if (string.Equals(id, candidate, StringComparison.OrdinalIgnoreCase)) return true;
                // An account id in a policy ("123456789012" or arn:aws:iam::123456789012:root) means every principal of that account.
                if (principal.Type == "AWS" && AccountOf(id) is { } account && AccountOf(candidate) == account) return true;
            }
        }
        return false;
    }

    static string? AccountOf(string id)
    {
        if (id.Length == 12 && id.All(char.IsAsciiDigit)) return id;
        if (id.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && id.EndsWith(":root", StringComparison.Ordinal))
            return id["arn:aws:iam::".Length..^":root".Length];
        var parts = id.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" ? parts[4] : null;
    }

    static bool ConditionHolds(Condition c, RequestContext request)
    {
        var values = request.Values(c.Key);
        var present = values is { Count: > 0 };
        if (c.Kind == ConditionOperator.Null)
        {
            // "true": the key must be absent; "false": present.
            return c.Values.Any(v => v == "true" ? !present : present);
        }
        var negated = ConditionOperators.IsNegated(c.Kind);
        var policyValues = new List<string>(c.Values.Count);
        var unresolved = false;
        foreach (var v in c.Values)
        {
            if (Substitute(v, request, wildcardSafe: c.Kind is ConditionOperator.StringLike or ConditionOperator.StringNotLike or ConditionOperator.ArnLike or ConditionOperator.ArnNotLike
                    or ConditionOperator.ArnEquals or ConditionOperator.ArnNotEquals) is { } resolved)
                policyValues.Add(resolved);
            else unresolved = true;
        }
        // A policy value whose variable has no value matches nothing: for a negated operator ("not equal to any of these"),
        // that value can never be shown to differ, so a present key does not satisfy the condition.
        if (unresolved && negated && present) return false;
        switch (c.Set)
        {
            case SetQualifier.ForAllValues:
                // Every request value must match; no values at all makes it true, as IAM documents.
                if (!present) return true;
                return values!.All(r => Matches(c.Kind, negated, r, policyValues));
            case SetQualifier.ForAnyValue:
                if (!present) return c.IfExists;
                return values!.Any(r => Matches(c.Kind, negated, r, policyValues));
            default:
                if (!present) return c.IfExists || negated;
                return negated ? values!.All(r => Matches(c.Kind, negated, r, policyValues)) : values!.Any(r => Matches(c.Kind, negated, r, policyValues));
        }
    }

    /// <summary>A request value matches a condition when it matches any policy value (negated operators: none of them).</summary>
    static bool Matches(ConditionOperator kind, bool negated, string requestValue, List<string> policyValues)
    {
        var any = policyValues.Any(p => ConditionOperators.Matches(kind, requestValue, p));
        return negated ? !any : any;
    }

    /// <summary>Replaces policy variables: <c>${key}</c> by the context key's (single) value, <c>${key, 'default'}</c> by its
    /// default when absent, <c>${*}</c> <c>${?}</c> <c>${$}</c> by the literal character. Null when a variable has no value
    /// (the element then matches nothing, as IAM does). In wildcard positions (<paramref name="wildcardSafe"/>) a substituted
    /// value's * and ? (and those of <c>${*}</c>, <c>${?}</c>) are marked literal for <see cref="Wildcard.Match"/>.</summary>
    public static string? Substitute(string text, RequestContext request, bool wildcardSafe)
    {
        if (!text.Contains("${", StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            var end = text.IndexOf('}', start + 2);
            if (end < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            sb.Append(text, i, start - i);
            var inner = text[(start + 2)..end].Trim();
            string? value;
            if (inner is "*" or "?" or "$") value = wildcardSafe ? Wildcard.Literal(inner) : inner;
            else
            {
                string? fallback = null;
                var comma = inner.IndexOf(',', StringComparison.Ordinal);
                if (comma >= 0)
                {
                    var d = inner[(comma + 1)..].Trim();
                    if (d.Length >= 2 && d[0] == '\'' && d[^1] == '\'') fallback = d[1..^1];
                    inner = inner[..comma].Trim();
                }
                var values = request.Values(inner);
                value = values is { Count: 1 } ? values[0] : fallback;
                if (value is null) return null;
                // A value carrying * or ? does not act as a wildcard: IAM matches it literally.
                if (wildcardSafe) value = Wildcard.Literal(value);
            }
            sb.Append(value);
            i = end + 1;
        }
        return sb.ToString();
    }
}
