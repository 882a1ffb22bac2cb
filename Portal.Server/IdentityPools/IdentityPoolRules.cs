using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;

namespace Portal.Server.IdentityPools;

/// <summary>What Create/UpdateIdentityPool accept beyond the record's constraints: known social providers, user pool
/// providers Portal can verify, IAM provider ARNs of this account, tags.</summary>
public sealed class IdentityPoolRules(Logins logins, IdentityIds ids)
{
    public const int MaxPools = 1000;

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

    /// <summary>Identity pool tags: at most 50, keys 1-128 characters outside the reserved aws: prefix, values up to 256.</summary>
    public static void CheckTags(IReadOnlyDictionary<string, string>? tags)
    {
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            if (key.Length is < 1 or > 128)
                throw new InvalidParameterException($"Tag key {key} is not valid: tag keys must have length between 1 and 128.");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                throw new InvalidParameterException($"Tag key {key} is not valid: the aws: prefix is reserved for AWS use.");
            if ((value ?? "").Length > 256)
                throw new InvalidParameterException($"The value of tag {key} is not valid: tag values must have length less than or equal to 256.");
        }
        if (tags?.Count > 50) throw new InvalidParameterException("An identity pool can have at most 50 tags.");
    }
}
