using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;

namespace Portal.Server.IdentityPools;

/// <summary>What Create/UpdateIdentityPool accept beyond the record's constraints: known social providers, user pool
/// providers Portal can verify, IAM provider ARNs of this account, tags.</summary>
public sealed class IdentityPoolRules(Logins logins, IdentityIds ids)
{
    public const int MaxPools = 1000;

    /// <summary>Cognito's answer to a developer provider name another identity pool of the account has.</summary>
    public static ResourceConflictException DeveloperProviderTaken(string name) =>
        new($"Developer provider name '{name}' is already used by another identity pool of this account.");

    public IdentityPoolSettings Settings(Dictionary<string, string>? social, List<CognitoIdentityProvider>? userPools,
        List<string>? oidc, List<string>? saml)
    {
        foreach (var (key, value) in social ?? [])
        {
            if (!Logins.SocialProviders.Contains(key))
                throw new InvalidParameterException($"Invalid login provider: {key}. Supported login providers are {string.Join(", ", Logins.SocialProviders)}.");
            if (string.IsNullOrWhiteSpace(value) || value.Length > 128)
                throw new InvalidParameterException($"The app id of {key} must have length between 1 and 128.");
        }
        var canonical = new HashSet<string>();
        foreach (var p in userPools ?? [])
        {
            if (p.ProviderName is null || logins.UserPoolIdOf(p.ProviderName) is null)
                throw new InvalidParameterException($"Invalid Cognito Identity Provider: {p.ProviderName}. Expected cognito-idp.<region>.amazonaws.com/<userPoolId>.");
            if (!canonical.Add($"{logins.Canonical(p.ProviderName)}:{p.ClientId}"))
                throw new InvalidParameterException($"The Cognito Identity Provider {p.ProviderName} with client {p.ClientId} is listed twice.");
        }
        foreach (var arn in oidc ?? []) Arn(arn, "oidc-provider/");
        foreach (var arn in saml ?? []) Arn(arn, "saml-provider/");
        return new IdentityPoolSettings
        {
            SupportedLoginProviders = social ?? [],
            CognitoIdentityProviders = userPools?.Select(p => p with { ServerSideTokenCheck = p.ServerSideTokenCheck ?? false }).ToList() ?? [],
            OpenIdConnectProviderARNs = oidc?.Distinct().ToList() ?? [],
            SamlProviderARNs = saml?.Distinct().ToList() ?? [],
        };
    }

    void Arn(string arn, string resource)
    {
        var parts = arn.Split(':', 6);
        if (parts is not ["arn", "aws", "iam", "", var account, var name] || account != ids.AccountId
            || !name.StartsWith(resource, StringComparison.Ordinal) || name.Length == resource.Length)
            throw new InvalidParameterException($"Invalid provider ARN: {arn}.");
    }
}
