using System.Text.Json;
using Portal.Client.Contract;
using Portal.Server.Outbound;

namespace Portal.Server.Federation;

/// <summary>Social and OIDC providers' ProviderDetails: the keys Cognito requires per type, and the endpoints Cognito
/// computes (known ones for social providers, discovered ones for OIDC). Given keys always win over computed ones,
/// so a "Google" provider can point at any OpenID provider.</summary>
public sealed class OAuthProviderDetailsCheck(string providerType, IHttpClientFactory http) : IProviderDetailsCheck
{
    public string ProviderType => providerType;

    public static readonly string[] Types = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "OIDC"];

    public static string[] Required(string type) => type switch
    {
        "SignInWithApple" => ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"],
        "OIDC" => ["client_id", "client_secret", "attributes_request_method", "oidc_issuer", "authorize_scopes"],
        _ => ["client_id", "client_secret", "authorize_scopes"],
    };

    /// <summary>Where Cognito sends each social provider's users, as DescribeIdentityProvider shows them.</summary>
    public static Dictionary<string, string> Known(string type, IReadOnlyDictionary<string, string> details)
    {
        var facebook = details.GetValueOrDefault("api_version") is { Length: > 0 } v ? v : "v17.0";
        return type switch
        {
            "Google" => new()
            {
                ["authorize_url"] = "https://accounts.google.com/o/oauth2/v2/auth", ["token_url"] = "https://www.googleapis.com/oauth2/v4/token",
                ["attributes_url"] = "https://people.googleapis.com/v1/people/me?personFields=", ["attributes_url_add_attributes"] = "true",
                ["oidc_issuer"] = "https://accounts.google.com", ["jwks_uri"] = "https://www.googleapis.com/oauth2/v3/certs",
                ["token_request_method"] = "POST",
            },
            "Facebook" => new()
            {
                ["api_version"] = facebook,
                ["authorize_url"] = $"https://www.facebook.com/{facebook}/dialog/oauth", ["token_url"] = $"https://graph.facebook.com/{facebook}/oauth/access_token",
                ["attributes_url"] = $"https://graph.facebook.com/{facebook}/me?fields=", ["attributes_url_add_attributes"] = "true",
                ["token_request_method"] = "GET",
            },
            "LoginWithAmazon" => new()
            {
                ["authorize_url"] = "https://www.amazon.com/ap/oa", ["token_url"] = "https://api.amazon.com/auth/o2/token",
                ["attributes_url"] = "https://api.amazon.com/user/profile", ["attributes_url_add_attributes"] = "false",
                ["token_request_method"] = "POST",
            },
            "SignInWithApple" => new()
            {
                ["authorize_url"] = "https://appleid.apple.com/auth/authorize", ["token_url"] = "https://appleid.apple.com/auth/token",
                ["oidc_issuer"] = "https://appleid.apple.com", ["jwks_uri"] = "https://appleid.apple.com/auth/keys",
                ["token_request_method"] = "POST",
            },
            _ => [],
        };
    }

    /// <summary>The provider's user id claim when AttributeMapping does not name one for <c>username</c>.</summary>
    public static string DefaultSubject(string type) => type switch
    {
        "Facebook" => "id",
        "LoginWithAmazon" => "user_id",
        _ => "sub",
    };

    public async Task<Dictionary<string, string>> Check(Dictionary<string, string> details, CancellationToken ct)
    {
        var required = Required(providerType);
        if (required.FirstOrDefault(k => string.IsNullOrWhiteSpace(details.GetValueOrDefault(k))) is { } missing)
            throw new InvalidParameterException($"{string.Join(", ", required[..^1])} and {required[^1]} are all required idp details", $"providerDetails.{missing}");
        var result = new Dictionary<string, string>(details);
        if (providerType == "OIDC")
        {
            var method = result["attributes_request_method"];
            if (method is not ("GET" or "POST"))
                throw new InvalidParameterException("attributes_request_method must be GET or POST", "providerDetails.attributes_request_method");
            if (!Uri.TryCreate(result["oidc_issuer"], UriKind.Absolute, out _))
                throw new InvalidParameterException("oidc_issuer must be a URL", "providerDetails.oidc_issuer");
            if (DiscoveredEndpoints.Any(k => !result.ContainsKey(k)))
                foreach (var (k, v) in await Discover(result["oidc_issuer"], ct)) result.TryAdd(k, v);
            result.TryAdd("attributes_url_add_attributes", "false");
        }
        else
        {
            foreach (var (k, v) in Known(providerType, result)) result.TryAdd(k, v);
        }
        if (providerType == "SignInWithApple") AppleClientSecret.Check(result["private_key"]);
        foreach (var k in new[] { "authorize_url", "token_url", "attributes_url", "jwks_uri" })
            if (result.TryGetValue(k, out var url) && !Uri.TryCreate(url, UriKind.Absolute, out _))
                throw new InvalidParameterException($"{k} must be a URL", $"providerDetails.{k}");
        return result;
    }

    /// <summary>OpenID Connect discovery at {oidc_issuer}/.well-known/openid-configuration.</summary>
    static readonly string[] DiscoveredEndpoints = ["authorize_url", "token_url", "attributes_url", "jwks_uri"];

    async Task<Dictionary<string, string>> Discover(string issuer, CancellationToken ct)
    {
        var url = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        try
        {
            using var client = http.CreateClient(FederationSetup.HttpClientName);
            client.Timeout = TimeSpan.FromSeconds(10);
            using var doc = JsonDocument.Parse(await client.GetStringAsync(url, ct));
            var root = doc.RootElement;
            string? S(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var found = new Dictionary<string, string>();
            if (S("authorization_endpoint") is { } a) found["authorize_url"] = a;
            if (S("token_endpoint") is { } t) found["token_url"] = t;
            if (S("userinfo_endpoint") is { } u) found["attributes_url"] = u;
            if (S("jwks_uri") is { } j) found["jwks_uri"] = j;
            return found;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException)
        {
            // Cognito's sentence, and the guard's reason when the address was refused.
            throw new InvalidParameterException(OutboundAddresses.Refusal(e) is { } refused
                ? $"Unable to contact well-known endpoint {url}: {refused}"
                : $"Unable to contact well-known endpoint {url}");
        }
    }
}
