using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Admin.Operations;

/// <summary>The portal's "who gets which role": the claims of a user's ID token as Portal mints it (or of a pasted
/// token), the identity pool's role mapping for the token's provider applied to them as GetCredentialsForIdentity
/// applies it, and the principal tags they make. It reads the pool through the engine's own operations and creates
/// nothing: no identity, no credentials. What would make the real call fail (a bad signature, an expired token, a client
/// the pool does not accept, a role that does not trust the pool) comes back as warnings.</summary>
sealed class DescribeIdentityPoolRoleChoice(
    Dispatcher engine, PortalDb db, UserPoolStore pools, UserStore users, AppClientStore clients, SigningKeys keys, Issuer issuer, TimeProvider clock)
    : IOperation<DescribeIdentityPoolRoleChoiceRequest, DescribeIdentityPoolRoleChoiceResponse>
{
    public async Task<DescribeIdentityPoolRoleChoiceResponse> Handle(DescribeIdentityPoolRoleChoiceRequest request, CancellationToken ct)
    {
        var pool = await engine.Send(new DescribeIdentityPoolRequest { IdentityPoolId = request.IdentityPoolId }, ct);
        var roles = await engine.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = request.IdentityPoolId }, ct);
        var warnings = new List<string>();
        var (claims, userPoolId, provider) = request.IdToken is { } token
            ? await FromToken(token, warnings, ct)
            : await FromUser(request, pool, ct);
        var clientId = Text(claims["aud"]).FirstOrDefault();
        if (userPoolId is not null
            && !(pool.CognitoIdentityProviders ?? []).Any(p => IdentityPoolForm.UserPoolIdOf(p.ProviderName ?? "") == userPoolId && p.ClientId == clientId))
            warnings.Add($"App client {clientId} of {userPoolId} is not one this identity pool accepts: GetId would refuse the token (NotAuthorizedException).");

        var keysTried = new[] { $"{provider}:{clientId}", provider };
        var key = keysTried.FirstOrDefault(k => roles.RoleMappings?.ContainsKey(k) == true);
        var mapping = key is null ? null : roles.RoleMappings![key];
        var fallback = roles.Roles?.GetValueOrDefault("authenticated");
        var (role, rule, explanation) = Choose(mapping, claims, fallback, key);
        if (role is not null) await CheckTrust(role, request.IdentityPoolId!, warnings, ct);

        return new DescribeIdentityPoolRoleChoiceResponse
        {
            ProviderName = provider,
            RoleMappingKey = key,
            MappingType = mapping?.Type ?? "Default",
            MatchedRule = rule is null ? null : rule.Value + 1,
            Rule = rule is { } i && mapping?.RulesConfiguration?.Rules?[i] is { } r
                ? new MappingRuleDescription { Claim = r.Claim, MatchType = r.MatchType, Value = r.Value, RoleARN = r.RoleARN }
                : null,
            RoleArn = role,
            Denied = role is null,
            Explanation = explanation,
            SessionTags = await Tags(request.IdentityPoolId!, provider, claims, ct),
            Claims = claims.ToDictionary(c => c.Key, c => string.Join(", ", Text(c.Value))),
            Warnings = warnings,
        };
    }

    /// <summary>The role, the index of the rule that gave it, and why, as Cognito decides for an authenticated identity.</summary>
    static (string? Role, int? Rule, string Explanation) Choose(RoleMapping? mapping, JsonObject claims, string? fallback, string? key)
    {
        string? chosen = null;
        int? rule = null;
        string? why = null;
        if (mapping is null)
            return fallback is null
                ? (null, null, "The pool has no role mapping for this provider and no default authenticated role.")
                : (fallback, null, "No role mapping for this provider: the pool's default authenticated role.");
        if (mapping.Type == "Token")
        {
            var roles = Text(claims["cognito:roles"]);
            if (Text(claims["cognito:preferred_role"]).FirstOrDefault() is { } preferred)
                (chosen, why) = (preferred, "The token's cognito:preferred_role: the role of the user's group with the best precedence.");
            else if (roles.Count == 1)
                (chosen, why) = (roles[0], "The only role in the token's cognito:roles.");
        }
        else
        {
            var rules = mapping.RulesConfiguration?.Rules ?? [];
            for (var i = 0; i < rules.Count && chosen is null; i++)
                if (Matches(rules[i], claims))
                    (chosen, rule, why) = (rules[i].RoleARN, i, $"Rule {i + 1} is the first rule that matches.");
        }
        if (chosen is not null) return (chosen, rule, why!);
        var unmatched = mapping.Type == "Token" ? "The token names no single role" : "No rule matches";
        if (mapping.AmbiguousRoleResolution == "Deny")
            return (null, null, $"{unmatched}, and the mapping of {key} says Deny: GetCredentialsForIdentity answers NotAuthorizedException.");
        return fallback is null
            ? (null, null, $"{unmatched}, and the pool has no default authenticated role.")
            : (fallback, null, $"{unmatched}: the pool's default authenticated role.");
    }

    // Rule matching and claim values are the ones GetCredentialsForIdentity uses (IdentityPools/RoleChoice), so the
    // simulation cannot drift from the real choice.
    static bool Matches(MappingRule rule, JsonObject claims) => rule.Claim is not null && RoleChoice.Matches(rule, claims);

    static List<string> Text(JsonNode? node) => RoleChoice.Strings(node);

    async Task<Dictionary<string, string>> Tags(string identityPoolId, string provider, JsonObject claims, CancellationToken ct)
    {
        GetPrincipalTagAttributeMapResponse map;
        try
        {
            map = await engine.Send(new GetPrincipalTagAttributeMapRequest { IdentityPoolId = identityPoolId, IdentityProviderName = provider }, ct);
        }
        catch (ResourceNotFoundException)
        {
            return [];
        }
        var pairs = map.UseDefaults == true ? PrincipalTagChoice.Defaults : (IReadOnlyDictionary<string, string>)(map.PrincipalTags ?? []);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tag, claim) in pairs)
            if (Text(claims[claim]) is [var first, ..] && first.Length > 0)
                tags[tag] = first.Length > 256 ? first[..256] : first;
        return tags;
    }

    /// <summary>Warns when the role is not in IAM or its trust policy does not name this pool.</summary>
    async Task CheckTrust(string roleArn, string identityPoolId, List<string> warnings, CancellationToken ct)
    {
        var name = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        try
        {
            var role = (await engine.Send(new GetRoleRequest { RoleName = name }, ct)).Role;
            if (role is null || role.Arn != roleArn)
                warnings.Add($"{roleArn} is not a role of this Portal's IAM: the embedded STS refuses it (InvalidIdentityPoolConfigurationException).");
            else if (!IamCatalog.Trusts(role, identityPoolId))
                warnings.Add($"The trust policy of {name} does not trust this identity pool: credentials are refused (InvalidIdentityPoolConfigurationException).");
        }
        catch (NoSuchEntityException)
        {
            warnings.Add($"{roleArn} is not a role of this Portal's IAM: the embedded STS refuses it (InvalidIdentityPoolConfigurationException).");
        }
    }

    /// <summary>The claims of a pasted token, its user pool when it is one of Portal's, and the provider the identity pool
    /// knows it by; checks what GetId checks and reports instead of refusing.</summary>
    async Task<(JsonObject Claims, string? UserPoolId, string Provider)> FromToken(string token, List<string> warnings, CancellationToken ct)
    {
        if (!Jwt.TryRead(token, out var parts)) throw new InvalidParameterException("The ID token is not a JWT (three base64url parts).", "idToken");
        var iss = parts.String("iss") ?? "";
        var userPoolId = iss[(iss.LastIndexOf('/') + 1)..];
        if (userPoolId.Length == 0 || issuer.For(userPoolId) != iss || await pools.Find(userPoolId, ct) is null)
        {
            warnings.Add($"The token's issuer ({iss}) is not one of this Portal's user pools: its signature was not checked.");
            var withoutScheme = iss.Contains("://", StringComparison.Ordinal) ? iss[(iss.IndexOf("://", StringComparison.Ordinal) + 3)..] : iss;
            return (parts.Payload, null, withoutScheme);
        }
        var key = parts.Kid is { } kid ? await keys.Find(userPoolId, kid, ct) : null;
        using (var rsa = key?.Create())
            if (rsa is null || !Jwt.Verify(rsa, parts))
                warnings.Add("The token's signature does not verify with the user pool's keys: GetId would refuse it (NotAuthorizedException).");
        if (parts.Number("exp") is { } exp && DateTimeOffset.FromUnixTimeSeconds(exp) <= clock.GetUtcNow())
            warnings.Add($"The token expired at {DateTimeOffset.FromUnixTimeSeconds(exp):yyyy-MM-dd HH:mm:ss} UTC: GetId would refuse it (NotAuthorizedException).");
        if (parts.String("token_use") != "id")
            warnings.Add("This is not an ID token (token_use is not id): identity pools take a user pool's ID token.");
        return (parts.Payload, userPoolId, IdentityPoolForm.ProviderNameOf(userPoolId));
    }

    /// <summary>The claims the user's ID token would carry now for the app client: groups and their roles (highest
    /// precedence first), the attributes the client may read, and the standard claims.</summary>
    async Task<(JsonObject Claims, string? UserPoolId, string Provider)> FromUser(DescribeIdentityPoolRoleChoiceRequest request, DescribeIdentityPoolResponse identityPool, CancellationToken ct)
    {
        if (request.UserPoolId is null || request.Username is null)
            throw new InvalidParameterException("Give a user pool and a username, or an ID token.", request.UserPoolId is null ? "userPoolId" : "username");
        var pool = await pools.Get(request.UserPoolId, ct);
        var clientId = request.ClientId
                       ?? (identityPool.CognitoIdentityProviders ?? []).FirstOrDefault(p => IdentityPoolForm.UserPoolIdOf(p.ProviderName ?? "") == pool.Row.Id)?.ClientId
                       ?? throw new InvalidParameterException($"User pool {pool.Row.Id} is not linked to this identity pool: name an app client.", "clientId");
        var client = await clients.Get(pool.Row.Id, clientId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var groups = (await db.GroupMembers.AsNoTracking().Where(m => m.UserPoolId == user.UserPoolId && m.UserSub == user.Sub)
                .Join(db.Groups, m => new { m.UserPoolId, m.GroupName }, g => new { g.UserPoolId, g.GroupName }, (m, g) => g)
                .ToListAsync(ct))
            .OrderBy(g => g.Precedence ?? int.MaxValue).ThenBy(g => g.GroupName, StringComparer.Ordinal).ToList();
        var claims = new JsonObject { ["sub"] = user.Sub };
        if (groups.Count > 0) claims["cognito:groups"] = new JsonArray(groups.Select(g => (JsonNode)g.GroupName).ToArray());
        var roles = groups.Where(g => !string.IsNullOrEmpty(g.RoleArn)).Select(g => g.RoleArn!).Distinct().ToList();
        if (roles.Count > 0)
        {
            claims["cognito:preferred_role"] = roles[0];
            claims["cognito:roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray());
        }
        foreach (var (name, value) in Tokens.ReadableAttributes(user, client.Settings)) claims[name] = value;
        claims["iss"] = issuer.For(pool.Row.Id);
        claims["cognito:username"] = user.Username;
        claims["aud"] = client.Row.ClientId;
        claims["token_use"] = "id";
        return (claims, pool.Row.Id, IdentityPoolForm.ProviderNameOf(pool.Row.Id));
    }
}
