using Portal.Client.Contract;
using Portal.Client.Contract.Iam;

namespace Portal.Client.Components.IdentityPools;

/// <summary>What the identity pool pages read from IAM: every role (all pages of ListRoles), the OIDC and SAML
/// providers, and the one-click role with the identity pool trust policy.</summary>
public static class IamCatalog
{
    public static async Task<List<Role>> Roles(ICognito cognito, CancellationToken ct = default)
    {
        var all = new List<Role>();
        string? marker = null;
        do
        {
            var page = await cognito.Send(new ListRolesRequest { Marker = marker, MaxItems = 1000 }, ct);
            all.AddRange(page.Roles ?? []);
            marker = page.IsTruncated == true ? page.Marker : null;
        } while (marker is not null);
        return all.OrderBy(r => r.RoleName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static async Task<List<string>> OidcProviders(ICognito cognito, CancellationToken ct = default) =>
        ((await cognito.Send(new ListOpenIDConnectProvidersRequest(), ct)).OpenIDConnectProviderList ?? []).Select(p => p.Arn).OfType<string>().ToList();

    public static async Task<List<string>> SamlProviders(ICognito cognito, CancellationToken ct = default) =>
        ((await cognito.Send(new ListSAMLProvidersRequest(), ct)).SAMLProviderList ?? []).Select(p => p.Arn).OfType<string>().ToList();

    /// <summary>Creates the role an identity pool's signed-in users (or guests) assume, trusting exactly that pool.</summary>
    public static async Task<Role> CreateIdentityPoolRole(ICognito cognito, string identityPoolId, string roleName, bool authenticated, CancellationToken ct = default)
    {
        var created = await cognito.Send(new CreateRoleRequest
        {
            RoleName = roleName,
            AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(identityPoolId, authenticated),
            Description = $"Assumed by the {(authenticated ? "signed-in identities" : "guests")} of identity pool {identityPoolId}.",
        }, ct);
        return created.Role!;
    }

    /// <summary>Whether the role's trust policy names this identity pool (the check GetCredentialsForIdentity makes for
    /// real, with the amr too): false flags a role that would answer InvalidIdentityPoolConfigurationException.</summary>
    public static bool Trusts(Role role, string identityPoolId) =>
        TrustPolicies.Readable(role.AssumeRolePolicyDocument).Contains(identityPoolId, StringComparison.Ordinal)
        || (TrustPolicies.Describe(role.AssumeRolePolicyDocument) is { } d && d.Contains("any pool", StringComparison.Ordinal));
}
