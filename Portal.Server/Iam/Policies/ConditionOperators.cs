using System.Globalization;
using System.Net;

namespace Portal.Server.Iam.Policies;

public enum ConditionOperator
{
    StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
    NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals,
    DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals,
    Bool, BinaryEquals, IpAddress, NotIpAddress, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Null,
}

/// <summary>IAM's condition operators: names, negation, and how one request value compares with one policy value.</summary>
public static class ConditionOperators
{
    /// <summary>"ForAnyValue:StringLikeIfExists" → (StringLike, ForAnyValue, IfExists); null when IAM knows no such operator.</summary>
    public static (ConditionOperator Kind, SetQualifier Set, bool IfExists)? Parse(string name)
    {
        var set = SetQualifier.None;
        if (name.StartsWith("ForAnyValue:", StringComparison.Ordinal)) (set, name) = (SetQualifier.ForAnyValue, name["ForAnyValue:".Length..]);
        else if (name.StartsWith("ForAllValues:", StringComparison.Ordinal)) (set, name) = (SetQualifier.ForAllValues, name["ForAllValues:".Length..]);
        var ifExists = name.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists) name = name[..^"IfExists".Length];
        if (!Enum.TryParse<ConditionOperator>(name, ignoreCase: false, out var kind) || !Enum.IsDefined(kind) || int.TryParse(name, out _)) return null;
        if (kind == ConditionOperator.Null && (ifExists || set != SetQualifier.None)) return null;
        return (kind, set, ifExists);
    }

    /// <summary>Negated operators (StringNotEquals, NotIpAddress, …): a request value matches when it equals none of the policy values.</summary>
    public static bool IsNegated(ConditionOperator kind) => kind is ConditionOperator.StringNotEquals or ConditionOperator.StringNotEqualsIgnoreCase
        or ConditionOperator.StringNotLike or ConditionOperator.NumericNotEquals or ConditionOperator.DateNotEquals
        or ConditionOperator.NotIpAddress or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike;

    /// <summary>The positive form's comparison of a request value with a policy value (negation is applied by the caller).</summary>
    public static bool Matches(ConditionOperator kind, string requestValue, string policyValue) => kind switch
    {
        ConditionOperator.StringEquals or ConditionOperator.StringNotEquals => string.Equals(requestValue, policyValue, StringComparison.Ordinal),
        ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase => string.Equals(requestValue, policyValue, StringComparison.OrdinalIgnoreCase),
        ConditionOperator.StringLike or ConditionOperator.StringNotLike => Wildcard.Match(policyValue, requestValue, ignoreCase: false),
        ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals => Numeric(requestValue, policyValue, c => c == 0),
        ConditionOperator.NumericLessThan => Numeric(requestValue, policyValue, c => c < 0),
        ConditionOperator.NumericLessThanEquals => Numeric(requestValue, policyValue, c => c <= 0),
        ConditionOperator.NumericGreaterThan => Numeric(requestValue, policyValue, c => c > 0),
        ConditionOperator.NumericGreaterThanEquals => Numeric(requestValue, policyValue, c => c >= 0),
        ConditionOperator.DateEquals or ConditionOperator.DateNotEquals => Date(requestValue, policyValue, c => c == 0),
        ConditionOperator.DateLessThan => Date(requestValue, policyValue, c => c < 0),
        ConditionOperator.DateLessThanEquals => Date(requestValue, policyValue, c => c <= 0),
        ConditionOperator.DateGreaterThan => Date(requestValue, policyValue, c => c > 0),
        ConditionOperator.DateGreaterThanEquals => Date(requestValue, policyValue, c => c >= 0),
        ConditionOperator.Bool => string.Equals(requestValue, policyValue, StringComparison.OrdinalIgnoreCase),
        ConditionOperator.BinaryEquals => string.Equals(requestValue, policyValue, StringComparison.Ordinal),
        ConditionOperator.IpAddress or ConditionOperator.NotIpAddress => InRange(requestValue, policyValue),
        ConditionOperator.ArnEquals or ConditionOperator.ArnNotEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotLike => Arn(requestValue, policyValue),
        _ => false,
    };

    static bool Numeric(string request, string policy, Func<int, bool> test) =>
        decimal.TryParse(request, NumberStyles.Float, CultureInfo.InvariantCulture, out var r)
        && decimal.TryParse(policy, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
        && test(r.CompareTo(p));

    static bool Date(string request, string policy, Func<int, bool> test) =>
        ParseDate(request) is { } r && ParseDate(policy) is { } p && test(r.CompareTo(p));

    /// <summary>ISO 8601 (with or without time) or epoch seconds, as IAM accepts them.</summary>
    public static DateTimeOffset? ParseDate(string value)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
            return epoch is > -62135596800 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
    }

    static bool InRange(string request, string policy)
    {
        if (!IPAddress.TryParse(request, out var address)) return false;
        var slash = policy.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return IPAddress.TryParse(policy, out var single) && Normalize(single).Equals(Normalize(address));
        return IPNetwork.TryParse(policy, out var network) && network.Contains(Normalize(address, network.BaseAddress.AddressFamily));
    }

    static IPAddress Normalize(IPAddress a, System.Net.Sockets.AddressFamily? family = null) =>
        a.IsIPv4MappedToIPv6 && family != System.Net.Sockets.AddressFamily.InterNetworkV6 ? a.MapToIPv4() : a;

    /// <summary>ARN comparison part by part (partition, service, region, account, resource), each with * and ? wildcards.</summary>
    public static bool Arn(string request, string policy)
    {
        if (policy == "*") return true;
        var r = request.Split(':', 6);
        var p = policy.Split(':', 6);
        if (r.Length != 6 || p.Length != 6) return false;
        for (var i = 0; i < 6; i++)
            if (!Wildcard.Match(p[i], r[i], ignoreCase: false)) return false;
        return true;
    }
}

/// <summary>IAM's wildcards: <c>*</c> any run of characters, <c>?</c> any one character; everything else literal.</summary>
public static class Wildcard
{
    /// <summary>Private-use characters standing for a literal * and ? in a pattern (a policy variable's value, <c>${*}</c>).</summary>
    public const char LiteralStar = '\uE000', LiteralQuestion = '\uE001';

    /// <summary>The text with its * and ? marked literal, so <see cref="Match"/> compares them as characters.</summary>
    public static string Literal(string text) => text.Replace('*', LiteralStar).Replace('?', LiteralQuestion);

    public static bool Match(string pattern, string value, bool ignoreCase)
    {
        // Iterative glob match with backtracking to the last '*': linear in practice, no regex compilation.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    static bool Same(char a, char b, bool ignoreCase)
    {
        a = a switch
        {
            LiteralStar => '*',
            LiteralQuestion => '?',
            _ => a,
        };
        return a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
    }
}
