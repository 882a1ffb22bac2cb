using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Which token claims become which session tags for one provider (attributes for access control), or
/// Cognito's defaults when UseDefaults.</summary>
sealed class SetPrincipalTagAttributeMap(IdentityPoolStore pools, Logins logins, PortalDb db, TimeProvider clock)
    : IOperation<SetPrincipalTagAttributeMapRequest, SetPrincipalTagAttributeMapResponse>
{
    public async Task<SetPrincipalTagAttributeMapResponse> Handle(SetPrincipalTagAttributeMapRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        var provider = logins.Canonical(request.IdentityProviderName!);
        var settings = IdentityPoolStore.Settings(pool);
        var known = (settings.CognitoIdentityProviders ?? []).Any(p => logins.Canonical(p.ProviderName!) == provider)
                    || settings.SupportedLoginProviders?.ContainsKey(provider) == true
                    || (settings.OpenIdConnectProviderARNs ?? []).Any(arn => arn.EndsWith(":oidc-provider/" + provider, StringComparison.Ordinal))
                    || (settings.SamlProviderARNs ?? []).Contains(provider);
        if (!known) throw new InvalidParameterException($"The identity provider {request.IdentityProviderName} is not configured for this identity pool.");
        foreach (var (tag, claim) in request.PrincipalTags ?? [])
            if (tag.Length is < 1 or > 128 || claim.Length is < 1 or > 256)
                throw new InvalidParameterException("Principal tag keys have 1-128 characters and claim names 1-256.");
        var maps = IdentityPoolStore.PrincipalTags(pool);
        var map = new PrincipalTagMap { UseDefaults = request.UseDefaults ?? false, PrincipalTags = request.PrincipalTags ?? [] };
        maps[provider] = map;
        pool.PrincipalTags = IdentityPoolStore.Write(maps);
        await pools.Changed(pool.Id, ct);
        pool.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new SetPrincipalTagAttributeMapResponse
        {
            IdentityPoolId = pool.Id, IdentityProviderName = request.IdentityProviderName, UseDefaults = map.UseDefaults, PrincipalTags = map.PrincipalTags,
        };
    }
}
