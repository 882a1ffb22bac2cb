using Portal.Client.Contract.IdentityPools;

namespace Portal.Client.Components.IdentityPools;

/// <summary>An identity pool's settings as the wizard and the pool page edit them: its name, who may sign in through
/// which provider, guest access and the classic flow. UpdateIdentityPool replaces the whole pool, so the form always
/// sends everything it holds.</summary>
public sealed class IdentityPoolForm
{
    /// <summary>The social providers Cognito knows, by the login key apps send (SupportedLoginProviders).</summary>
    public static readonly IReadOnlyList<(string Key, string Label, string Hint)> SocialProviders =
    [
        ("accounts.google.com", "Google", "The OAuth client id of your Google app"),
        ("graph.facebook.com", "Facebook", "The Facebook app id"),
        ("www.amazon.com", "Login with Amazon", "The Amazon app id"),
        ("appleid.apple.com", "Sign in with Apple", "The Apple services id (bundle id)"),
    ];

    public string Name { get; set; } = "";
    public bool AllowGuests { get; set; }
    public bool AllowClassicFlow { get; set; }
    public List<UserPoolLogin> UserPools { get; set; } = [];
    /// <summary>App id per social provider key; blank ones are not sent.</summary>
    public Dictionary<string, string> Social { get; set; } = SocialProviders.ToDictionary(p => p.Key, _ => "");
    public string? DeveloperProviderName { get; set; }
    public List<string> OidcProviderArns { get; set; } = [];
    public List<string> SamlProviderArns { get; set; } = [];
    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>One user pool app client whose ID tokens the pool accepts.</summary>
    public sealed class UserPoolLogin
    {
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public bool ServerSideTokenCheck { get; set; }
        /// <summary>The provider name as Cognito keys it (and as the role mappings do, with <c>:{ClientId}</c>).</summary>
        public string ProviderName => ProviderNameOf(UserPoolId);
    }

    /// <summary><c>cognito-idp.{region}.amazonaws.com/{userPoolId}</c>, the region being the pool id's prefix.</summary>
    public static string ProviderNameOf(string userPoolId)
    {
        var split = userPoolId.IndexOf('_');
        var region = split > 0 ? userPoolId[..split] : "us-east-1";
        return $"cognito-idp.{region}.amazonaws.com/{userPoolId}";
    }

    /// <summary>The user pool id in a provider name written either way (AWS host or Portal's issuer).</summary>
    public static string UserPoolIdOf(string providerName) => providerName[(providerName.LastIndexOf('/') + 1)..];

    /// <summary>How many ways in the pool has (user pool clients, social apps, developer, OIDC and SAML providers).</summary>
    public int ProviderCount =>
        UserPools.Count + Social.Values.Count(v => !string.IsNullOrWhiteSpace(v)) + (string.IsNullOrWhiteSpace(DeveloperProviderName) ? 0 : 1)
        + OidcProviderArns.Count + SamlProviderArns.Count;

    public static int ProvidersOf(DescribeIdentityPoolResponse pool) => From(pool).ProviderCount;

    public static IdentityPoolForm From(DescribeIdentityPoolResponse pool)
    {
        var form = new IdentityPoolForm();
        form.Fill(pool);
        return form;
    }

    public void Fill(DescribeIdentityPoolResponse pool)
    {
        Name = pool.IdentityPoolName ?? "";
        AllowGuests = pool.AllowUnauthenticatedIdentities == true;
        AllowClassicFlow = pool.AllowClassicFlow == true;
        UserPools = (pool.CognitoIdentityProviders ?? []).Select(p => new UserPoolLogin
        {
            UserPoolId = UserPoolIdOf(p.ProviderName ?? ""), ClientId = p.ClientId ?? "", ServerSideTokenCheck = p.ServerSideTokenCheck == true,
        }).ToList();
        Social = SocialProviders.ToDictionary(p => p.Key, p => pool.SupportedLoginProviders?.GetValueOrDefault(p.Key) ?? "");
        // Providers the portal has no field for (Twitter, Digits) stay as they are.
        foreach (var (key, value) in pool.SupportedLoginProviders ?? []) Social.TryAdd(key, value);
        DeveloperProviderName = pool.DeveloperProviderName;
        OidcProviderArns = pool.OpenIdConnectProviderARNs?.ToList() ?? [];
        SamlProviderArns = pool.SamlProviderARNs?.ToList() ?? [];
        Tags = pool.IdentityPoolTags is { } tags ? new(tags) : [];
    }

    Dictionary<string, string>? LoginProviders()
    {
        var given = Social.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value.Trim());
        return given.Count == 0 ? null : given;
    }

    List<CognitoIdentityProvider>? CognitoProviders() => UserPools.Count == 0 ? null : UserPools.Select(u => new CognitoIdentityProvider
    {
        ProviderName = u.ProviderName, ClientId = u.ClientId, ServerSideTokenCheck = u.ServerSideTokenCheck,
    }).ToList();

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public CreateIdentityPoolRequest ToCreate() => new()
    {
        IdentityPoolName = Name.Trim(),
        AllowUnauthenticatedIdentities = AllowGuests,
        AllowClassicFlow = AllowClassicFlow,
        SupportedLoginProviders = LoginProviders(),
        DeveloperProviderName = Blank(DeveloperProviderName),
        OpenIdConnectProviderARNs = OidcProviderArns.Count == 0 ? null : OidcProviderArns.ToList(),
        SamlProviderARNs = SamlProviderArns.Count == 0 ? null : SamlProviderArns.ToList(),
        CognitoIdentityProviders = CognitoProviders(),
        IdentityPoolTags = Tags.Count == 0 ? null : new(Tags),
    };

    public UpdateIdentityPoolRequest ToUpdate(string identityPoolId) => new()
    {
        IdentityPoolId = identityPoolId,
        IdentityPoolName = Name.Trim(),
        AllowUnauthenticatedIdentities = AllowGuests,
        AllowClassicFlow = AllowClassicFlow,
        SupportedLoginProviders = LoginProviders(),
        DeveloperProviderName = Blank(DeveloperProviderName),
        OpenIdConnectProviderARNs = OidcProviderArns.ToList(),
        SamlProviderARNs = SamlProviderArns.ToList(),
        CognitoIdentityProviders = CognitoProviders() ?? [],
        IdentityPoolTags = Tags.Count == 0 ? null : new(Tags),
    };

    /// <summary>The keys a role mapping or a principal-tag map can be set for, with what each is: a user pool app client
    /// (<c>{provider}:{clientId}</c>), a social provider, an OIDC provider (its host and path) or a SAML provider (its ARN).</summary>
    public IReadOnlyList<(string Key, string Label)> MappingKeys() =>
    [
        .. UserPools.Where(u => u.UserPoolId.Length > 0 && u.ClientId.Length > 0)
            .Select(u => ($"{u.ProviderName}:{u.ClientId}", $"User pool {u.UserPoolId}, app client {u.ClientId}")),
        .. Social.Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => (p.Key, SocialProviders.FirstOrDefault(s => s.Key == p.Key).Label ?? p.Key)),
        .. OidcProviderArns.Select(a => (OidcKey(a), $"OpenID Connect {OidcKey(a)}")),
        .. SamlProviderArns.Select(a => (a, $"SAML {a[(a.LastIndexOf('/') + 1)..]}")),
    ];

    /// <summary>The login key of an IAM OIDC provider: its URL without the scheme, as the ARN ends.</summary>
    public static string OidcKey(string arn) => arn.Contains(":oidc-provider/", StringComparison.Ordinal) ? arn[(arn.IndexOf(":oidc-provider/", StringComparison.Ordinal) + 15)..] : arn;

    /// <summary>The principal-tag map of a provider is keyed by the provider alone (a user pool without its client).</summary>
    public IReadOnlyList<(string Key, string Label)> TagProviders() =>
    [
        .. UserPools.Select(u => u.ProviderName).Distinct().Select(p => (p, $"User pool {UserPoolIdOf(p)}")),
        .. Social.Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => (p.Key, SocialProviders.FirstOrDefault(s => s.Key == p.Key).Label ?? p.Key)),
        .. OidcProviderArns.Select(a => (OidcKey(a), $"OpenID Connect {OidcKey(a)}")),
        .. SamlProviderArns.Select(a => (a, $"SAML {a[(a.LastIndexOf('/') + 1)..]}")),
    ];
}
