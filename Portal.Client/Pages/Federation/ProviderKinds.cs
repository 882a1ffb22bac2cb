namespace Portal.Client.Pages.Providers;

/// <summary>The identity provider types Cognito knows, with the ProviderDetails each one takes and the provider
/// attributes an operator usually maps.</summary>
public static class ProviderKinds
{
    /// <summary>One ProviderDetails key as the form asks for it.</summary>
    public sealed record Detail(string Key, string Label, bool Required = false, bool Secret = false, bool Multiline = false,
        string? Helper = null, string? Default = null);

    public sealed record Kind(string Type, string Label, string? FixedName, IReadOnlyList<Detail> Details, IReadOnlyList<string> Attributes,
        IReadOnlyDictionary<string, string> SuggestedMapping);

    static readonly Detail ClientId = new("client_id", "Client id", Required: true);
    static readonly Detail ClientSecret = new("client_secret", "Client secret", Required: true, Secret: true);

    public static IReadOnlyList<Kind> All { get; } =
    [
        new("Google", "Google", "Google",
            [ClientId, ClientSecret, new("authorize_scopes", "Scopes", Required: true, Helper: "Space-separated, e.g. profile email openid", Default: "profile email openid")],
            ["sub", "email", "email_verified", "name", "given_name", "family_name", "picture", "locale"],
            new Dictionary<string, string> { ["email"] = "email" }),
        new("Facebook", "Facebook", "Facebook",
            [ClientId, ClientSecret, new("authorize_scopes", "Scopes", Required: true, Helper: "Comma-separated, e.g. public_profile,email", Default: "public_profile,email"),
             new("api_version", "Graph API version", Helper: "e.g. v17.0; empty for Facebook's default")],
            ["id", "email", "name", "first_name", "last_name", "picture"],
            new Dictionary<string, string> { ["email"] = "email" }),
        new("LoginWithAmazon", "Login with Amazon", "LoginWithAmazon",
            [ClientId, ClientSecret, new("authorize_scopes", "Scopes", Required: true, Helper: "Space-separated, e.g. profile postal_code", Default: "profile")],
            ["user_id", "email", "name", "postal_code"],
            new Dictionary<string, string> { ["email"] = "email" }),
        new("SignInWithApple", "Sign in with Apple", "SignInWithApple",
            [new("client_id", "Services id", Required: true), new("team_id", "Team id", Required: true), new("key_id", "Key id", Required: true),
             new("private_key", "Private key (.p8)", Required: true, Secret: true, Multiline: true, Helper: "The PEM text of the key Apple gave you"),
             new("authorize_scopes", "Scopes", Helper: "Space-separated: email name", Default: "email name")],
            ["sub", "email", "email_verified", "firstName", "lastName"],
            new Dictionary<string, string> { ["email"] = "email" }),
        new("OIDC", "OpenID Connect", null,
            [ClientId, new("client_secret", "Client secret", Secret: true, Helper: "Empty for a public client"),
             new("authorize_scopes", "Scopes", Required: true, Helper: "Space-separated; must include openid", Default: "openid email profile"),
             new("oidc_issuer", "Issuer URL", Required: true, Helper: "https://…; endpoints are discovered from /.well-known/openid-configuration"),
             new("attributes_request_method", "Attributes request method", Helper: "GET or POST", Default: "GET"),
             new("authorize_url", "Authorization endpoint", Helper: "Only when discovery is not available"),
             new("token_url", "Token endpoint", Helper: "Only when discovery is not available"),
             new("attributes_url", "UserInfo endpoint", Helper: "Only when discovery is not available"),
             new("jwks_uri", "JWKS URI", Helper: "Only when discovery is not available")],
            ["sub", "email", "email_verified", "name", "given_name", "family_name", "preferred_username", "phone_number"],
            new Dictionary<string, string> { ["email"] = "email" }),
        new("SAML", "SAML 2.0", null, [],
            ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
             "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
             "email", "firstName", "lastName"],
            new Dictionary<string, string> { ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" }),
    ];

    public static Kind Of(string? type) => All.FirstOrDefault(k => k.Type == type) ?? All[^1];

    /// <summary>Cognito's rule for provider names (1 to 32 characters, no leading/trailing underscore or space).</summary>
    public static string? CheckName(string? name, Kind kind)
    {
        if (string.IsNullOrWhiteSpace(name)) return "Provider name is required.";
        if (kind.FixedName is { } fixedName && name != fixedName) return $"A {kind.Label} provider must be named {fixedName}.";
        if (name.Length > 32) return "Provider name must be at most 32 characters.";
        if (name.Length < 3 || name.StartsWith('_') || name.EndsWith('_') || name.Any(char.IsWhiteSpace))
            return "Provider name must be 3 to 32 characters, without spaces, and not start or end with _.";
        if (name is "COGNITO" or "Cognito") return "COGNITO names the pool's own sign-in; choose another name.";
        return null;
    }

    public static string? CheckUrl(string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value)) return required ? "Required." : null;
        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? null : "Must be an http(s) URL.";
    }
}
