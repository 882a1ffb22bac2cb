using System.Text.Json;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>A pool's domains: one prefix domain and one custom domain at most. The row's settings document is a
/// <see cref="DomainDescriptionType"/> holding CustomDomainConfig, ManagedLoginVersion and Version.</summary>
public static class UserPoolDomains
{
    static readonly string[] ReservedWords = ["aws", "amazon", "cognito"];

    public static DomainDescriptionType Read(UserPoolDomainRow row) =>
        JsonSerializer.Deserialize<DomainDescriptionType>(string.IsNullOrEmpty(row.Settings) ? "{}" : row.Settings, CognitoJson.Options) ?? new();

    public static void Write(UserPoolDomainRow row, CustomDomainConfigType? custom, int managedLoginVersion, DateTimeOffset at) =>
        row.Settings = JsonSerializer.Serialize(new DomainDescriptionType
        {
            CustomDomainConfig = custom,
            ManagedLoginVersion = managedLoginVersion,
            // Cognito's domain Version is the time of its last deployment, e.g. 20190128175402.
            Version = at.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
        }, CognitoJson.Options);

    public static bool IsCustom(UserPoolDomainRow row) => Read(row).CustomDomainConfig is not null;

    /// <summary>Where a domain's DNS alias points, in the place of Cognito's CloudFront distribution: Portal's public host.
    /// Terraform and CloudFormation read it as cloudfront_distribution / CloudFrontDistribution.</summary>
    public static string Distribution(string publicBaseUrl) => new Uri(publicBaseUrl).Host;

    public static DomainDescriptionType Describe(UserPoolDomainRow row, string accountId, string publicBaseUrl)
    {
        var settings = Read(row);
        return new DomainDescriptionType
        {
            UserPoolId = row.UserPoolId,
            AWSAccountId = accountId,
            Domain = row.Domain,
            CloudFrontDistribution = Distribution(publicBaseUrl),
            Version = settings.Version,
            Status = "ACTIVE",
            CustomDomainConfig = settings.CustomDomainConfig,
            ManagedLoginVersion = settings.ManagedLoginVersion ?? 1,
        };
    }

    /// <summary>1 is the classic hosted UI, 2 managed login (not in the Lite tier).</summary>
    public static int CheckManagedLoginVersion(UserPoolType pool, int? requested)
    {
        var version = requested ?? 1;
        if (version is not (1 or 2))
            throw new InvalidParameterException($"ManagedLoginVersion {version} is not valid: use 1 (hosted UI classic) or 2 (managed login).", "managedLoginVersion");
        if (version == 2 && pool.UserPoolTier == "LITE")
            throw new FeatureUnavailableInTierException("Managed login is not available in the Lite feature plan. Upgrade the user pool to Essentials or Plus.");
        return version;
    }

    /// <summary>A prefix domain may not have aws, amazon or cognito as one of its hyphen-separated words.</summary>
    public static void CheckPrefix(string domain)
    {
        // Only a custom domain (with CustomDomainConfig) is a fully-qualified name.
        if (!System.Text.RegularExpressions.Regex.IsMatch(domain, UserPoolDomainNames.Prefix))
            throw new InvalidParameterException("1 validation error detected: Value '" + domain + "' at 'domain' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: " + UserPoolDomainNames.Prefix, "domain");
        foreach (var word in domain.Split('-'))
            if (ReservedWords.Contains(word))
                throw new InvalidParameterException($"Domain cannot contain reserved word: {word}", "domain");
    }
}
