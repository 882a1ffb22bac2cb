using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;

namespace Portal.Server.IdentityPools;

/// <summary>The role an identity's credentials are for, as Cognito chooses it (enhanced flow): guests the pool's
/// unauthenticated role; authenticated identities the role mapping of their login's provider (Token: the token's
/// <c>cognito:preferred_role</c>, its only <c>cognito:roles</c> entry, or the CustomRoleArn it lists; Rules: the first
/// rule that matches, in order); a SAML login without a mapping the role its assertion names (of several, the
/// CustomRoleArn that is one of them, as Cognito documents it); otherwise the default authenticated role, also when a
/// mapping is ambiguous and says AuthenticatedRole.</summary>
public static class RoleChoice
{
    public sealed record Choice(string RoleArn, string? MatchedBy);

    public static Choice For(IdentityPoolRoles roles, IReadOnlyList<VerifiedLogin> logins, bool authenticated, string? customRoleArn)
    {
        if (!authenticated)
            return new Choice(roles.Roles?.GetValueOrDefault("unauthenticated") ?? throw NoRole(), null);
        foreach (var login in logins)
        {
            var mapping = login.MappingKeys.Select(k => (Key: k, Mapping: roles.RoleMappings?.GetValueOrDefault(k))).FirstOrDefault(m => m.Mapping is not null);
            if (mapping.Mapping is not { } m)
            {
                if (login.AssertedRoles is { Count: > 0 } asserted) return FromAssertion(asserted, customRoleArn);
                continue;
            }
            var chosen = m.Type == "Token" ? FromToken(login.Claims, customRoleArn) : FromRules(m.RulesConfiguration?.Rules ?? [], login.Claims);
            if (chosen is not null) return new Choice(chosen.Value.Role, chosen.Value.By);
            if (m.AmbiguousRoleResolution == "Deny")
                throw new NotAuthorizedException($"The ambiguous role mapping rules for: {mapping.Key} denied this request.");
            break;
        }
        var role = roles.Roles?.GetValueOrDefault("authenticated") ?? throw NoRole();
        if (customRoleArn is not null && customRoleArn != role)
            throw new NotAuthorizedException("The role given as CustomRoleArn is not one the identity may assume.");
        return new Choice(role, null);
    }

    /// <summary>The role of a SAML assertion: its only one, or the CustomRoleArn when it is one of several.</summary>
    static Choice FromAssertion(IReadOnlyList<string> asserted, string? customRoleArn)
    {
        if (customRoleArn is not null)
            return asserted.Contains(customRoleArn)
                ? new Choice(customRoleArn, "CustomRoleArn")
                : throw new NotAuthorizedException("The role given as CustomRoleArn is not one the SAML assertion names for this provider.");
        return asserted.Count == 1
            ? new Choice(asserted[0], "SAML assertion")
            : throw new NotAuthorizedException("The SAML assertion names several roles; CustomRoleArn must name the one to assume.");
    }

    static InvalidIdentityPoolConfigurationException NoRole() => new("Invalid identity pool configuration. Check assigned IAM roles for this pool.");

    static (string Role, string By)? FromToken(JsonObject claims, string? customRoleArn)
    {
        var roles = Strings(claims["cognito:roles"]);
        if (customRoleArn is not null)
        {
            if (roles.Contains(customRoleArn)) return (customRoleArn, "CustomRoleArn");
            throw new NotAuthorizedException("The role given as CustomRoleArn is not one the token names in cognito:roles.");
        }
        if (Strings(claims["cognito:preferred_role"]).FirstOrDefault() is { } preferred) return (preferred, "cognito:preferred_role");
        if (roles.Count == 1) return (roles[0], "cognito:roles");
        return null;
    }

    static (string Role, string By)? FromRules(IReadOnlyList<MappingRule> rules, JsonObject claims)
    {
        for (var i = 0; i < rules.Count; i++)
            if (Matches(rules[i], claims)) return (rules[i].RoleARN!, $"rule {i + 1}");
        return null;
    }

    /// <summary>One rule against the token's claim: a missing claim matches nothing; a list claim (cognito:groups)
    /// matches when one of its values does (NotEqual: when none equals).</summary>
    public static bool Matches(MappingRule rule, JsonObject claims)
    {
        if (!claims.TryGetPropertyValue(rule.Claim!, out var node) || node is null) return false;
        var values = Strings(node);
        var v = rule.Value ?? "";
        return rule.MatchType switch
        {
            "Equals" => values.Contains(v),
            "NotEqual" => !values.Contains(v),
            "Contains" => values.Any(x => x.Contains(v, StringComparison.Ordinal)),
            "StartsWith" => values.Any(x => x.StartsWith(v, StringComparison.Ordinal)),
            _ => false,
        };
    }

    /// <summary>A claim's values as text: a string, a list of strings, or a number / boolean written out.</summary>
    public static List<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Where(x => x is JsonValue).Select(x => Text(x!)).ToList(),
        JsonValue v => [Text(v)],
        _ => [node.ToJsonString()],
    };

    static string Text(JsonNode v) => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
}

/// <summary>Session tags from token claims (attributes for access control): per provider, a map tag → claim, or
/// Cognito's defaults (<c>client</c> → aud, <c>username</c> → sub) when UseDefaults.</summary>
public static class PrincipalTagChoice
{
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string> { ["client"] = "aud", ["username"] = "sub" };

    public static Dictionary<string, string> For(IReadOnlyDictionary<string, PrincipalTagMap> maps, IReadOnlyList<VerifiedLogin> logins)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var login in logins)
        {
            var map = new[] { login.Key, login.Provider }.Select(k => maps.GetValueOrDefault(k)).FirstOrDefault(m => m is not null);
            if (map is null) continue;
            var pairs = map.UseDefaults == true ? Defaults : (IReadOnlyDictionary<string, string>)(map.PrincipalTags ?? []);
            foreach (var (tag, claim) in pairs)
                if (RoleChoice.Strings(login.Claims[claim]) is [var first, ..] && first.Length > 0)
                    tags[tag] = first.Length > 256 ? first[..256] : first;
        }
        return tags;
    }
}
