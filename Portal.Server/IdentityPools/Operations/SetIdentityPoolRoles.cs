using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>The pool's default roles (authenticated, unauthenticated) and role mappings per provider (Token or Rules,
/// up to 25 rules, with AmbiguousRoleResolution), replacing those it had.</summary>
sealed class SetIdentityPoolRoles(IdentityPoolStore pools, Logins logins, IdentityIds ids, PortalDb db, TimeProvider clock)
    : IOperation<SetIdentityPoolRolesRequest, SetIdentityPoolRolesResponse>
{
    public const int MaxRules = 25;

    public async Task<SetIdentityPoolRolesResponse> Handle(SetIdentityPoolRolesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        foreach (var (type, arn) in request.Roles!)
        {
            if (type is not ("authenticated" or "unauthenticated"))
                throw new InvalidParameterException($"Invalid role type: {type}. Roles are authenticated and unauthenticated.");
            RoleArn(arn);
        }
        var settings = IdentityPoolStore.Settings(pool);
        foreach (var (provider, mapping) in request.RoleMappings ?? [])
        {
            if (mapping is null) throw new InvalidParameterException($"The role mapping of {provider} is missing.");
            if (!Configured(settings, provider))
                throw new InvalidParameterException($"The identity provider {provider} is not configured for this identity pool.");
            if (mapping.Type is not ("Token" or "Rules"))
                throw new InvalidParameterException($"Invalid role mapping type for {provider}: {mapping.Type}.");
            if (mapping.AmbiguousRoleResolution is not ("AuthenticatedRole" or "Deny"))
                throw new InvalidParameterException($"AmbiguousRoleResolution must be AuthenticatedRole or Deny for {provider}.");
            if (mapping.Type == "Rules")
            {
                var rules = mapping.RulesConfiguration?.Rules;
                if (rules is null || rules.Count == 0)
                    throw new InvalidParameterException($"A Rules role mapping needs at least one rule ({provider}).");
                if (rules.Count > MaxRules)
                    throw new InvalidParameterException($"A role mapping has at most {MaxRules} rules ({provider}).");
                foreach (var rule in rules)
                {
                    if (rule is null || string.IsNullOrEmpty(rule.Claim) || rule.Claim.Length > 64 || rule.Value is null || rule.Value.Length is < 1 or > 128)
                        throw new InvalidParameterException($"A rule of {provider} needs a claim (1-64 characters) and a value (1-128 characters).");
                    if (rule.MatchType is not ("Equals" or "Contains" or "StartsWith" or "NotEqual"))
                        throw new InvalidParameterException($"Invalid match type {rule.MatchType}: Equals, Contains, StartsWith or NotEqual.");
                    RoleArn(rule.RoleARN);
                }
            }
        }
        pool.Roles = IdentityPoolStore.Write(new IdentityPoolRoles { Roles = request.Roles, RoleMappings = request.RoleMappings ?? [] });
        pool.LastModifiedAt = clock.GetUtcNow();
        pool.Version++;
        await pools.Changed(pool.Id, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrentModificationException("The identity pool was changed at the same time; try again.");
        }
        return new SetIdentityPoolRolesResponse();
    }

    void RoleArn(string? arn)
    {
        var parts = (arn ?? "").Split(':', 6);
        if (parts is not ["arn", "aws", "iam", "", var account, var resource] || account != ids.AccountId
            || !resource.StartsWith("role/", StringComparison.Ordinal) || resource.Length == "role/".Length)
            throw new InvalidParameterException($"Invalid role ARN: {arn}.");
    }

    /// <summary>Mappings are keyed by a provider the pool lists: user pools as <c>{provider}:{clientId}</c> (or without the
    /// client), social providers by name, OIDC by issuer name, SAML by ARN.</summary>
    bool Configured(IdentityPoolSettings settings, string key)
    {
        foreach (var p in settings.CognitoIdentityProviders ?? [])
        {
            var name = logins.Canonical(p.ProviderName!);
            if (logins.Canonical(key) == name || key == $"{p.ProviderName}:{p.ClientId}" || key == $"{name}:{p.ClientId}") return true;
        }
        return settings.SupportedLoginProviders?.ContainsKey(key) == true
               || (settings.OpenIdConnectProviderARNs ?? []).Any(arn => arn.EndsWith(":oidc-provider/" + key, StringComparison.Ordinal))
               || (settings.SamlProviderARNs ?? []).Contains(key);
    }
}
