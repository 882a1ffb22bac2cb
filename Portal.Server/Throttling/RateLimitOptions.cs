namespace Portal.Server.Throttling;

/// <summary>The <c>Portal:RateLimits</c> section: Cognito's request-rate quotas per pool, a limit per source address,
/// the per-user limit on code messages, and the bound on concurrent password hashes.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second per user pool and quota category, and per account and identity-pool operation;
    /// Cognito's default quotas.</summary>
    public Dictionary<string, int> Categories { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Requests per second from one source address, API and hosted-UI forms together.</summary>
    public int PerAddressPerSecond { get; set; } = 100;

    /// <summary>Codes sent to one user (ForgotPassword, ResendConfirmationCode) per <see cref="CodeWindowMinutes"/>.</summary>
    public int CodesPerUser { get; set; } = 5;
    public int CodeWindowMinutes { get; set; } = 60;

    /// <summary>Argon2id hashes (19 MiB each) computed at once; 0 means the number of processors.</summary>
    public int PasswordHashConcurrency { get; set; }

    /// <summary>Hashes waiting for a turn; past that, a sign-in is answered TooManyRequestsException.</summary>
    public int PasswordHashQueue { get; set; } = 64;

    public static readonly IReadOnlyDictionary<string, int> CognitoDefaults = new Dictionary<string, int>
    {
        [QuotaCategories.UserAuthentication] = 120,
        [QuotaCategories.UserCreation] = 50,
        [QuotaCategories.UserFederation] = 25,
        [QuotaCategories.UserAccountRecovery] = 30,
        [QuotaCategories.UserRead] = 120,
        [QuotaCategories.UserUpdate] = 25,
        [QuotaCategories.UserResourceUpdate] = 25,
        [QuotaCategories.UserList] = 30,
        [QuotaCategories.UserToken] = 120,
        [QuotaCategories.UserPoolRead] = 15,
        [QuotaCategories.UserPoolUpdate] = 15,
        [QuotaCategories.UserPoolResourceRead] = 20,
        [QuotaCategories.UserPoolResourceUpdate] = 15,
        [QuotaCategories.ClientAuthentication] = 150,
        [QuotaCategories.GetId] = 25,
        [QuotaCategories.GetOpenIdToken] = 200,
        [QuotaCategories.GetCredentialsForIdentity] = 200,
        [QuotaCategories.GetOpenIdTokenForDeveloperIdentity] = 50,
        [QuotaCategories.ListIdentities] = 5,
        [QuotaCategories.DeleteIdentities] = 10,
        [QuotaCategories.IdentityPoolTagResource] = 5,
        [QuotaCategories.IdentityPoolUntagResource] = 5,
        [QuotaCategories.IdentityPoolListTagsForResource] = 10,
    };

    /// <summary>The per-second quota of a category: configured, else Cognito's default, else none (0).</summary>
    public int QuotaOf(string category) =>
        Categories.TryGetValue(category, out var configured) ? configured : CognitoDefaults.GetValueOrDefault(category);
}
