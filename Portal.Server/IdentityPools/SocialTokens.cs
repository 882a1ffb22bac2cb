using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Federation;

namespace Portal.Server.IdentityPools;

/// <summary><c>Portal:IdentityPools:Social</c>: where the opaque social tokens are checked (the providers' own APIs by
/// default; tests and proxies point them elsewhere).</summary>
public sealed class SocialTokenOptions
{
    public const string Section = "Portal:IdentityPools:Social";

    /// <summary>Facebook's Graph API, whose <c>/debug_token</c> says which app and user a token belongs to.</summary>
    public string FacebookGraphUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>Login with Amazon's API, whose <c>/auth/o2/tokeninfo</c> says the same of an Amazon access token.</summary>
    public string AmazonApiUrl { get; set; } = "https://api.amazon.com";
}

/// <summary>
/// Facebook and Login with Amazon access tokens are opaque: only their provider can say whose they are. Cognito asks
/// the provider; so does Portal, through the guarded outbound client: Facebook's <c>debug_token</c> (the token inspecting
/// itself) must say <c>is_valid</c>, an <c>app_id</c> the pool lists and an expiry not past; Amazon's <c>tokeninfo</c> an
/// <c>aud</c> (or <c>app_id</c>) the pool lists and time left. The login is the provider's user id.
/// </summary>
public sealed class SocialTokens(IHttpClientFactory httpClients, IOptions<SocialTokenOptions> options, TimeProvider clock)
{
    public const string Facebook = "graph.facebook.com", Amazon = "www.amazon.com";

    public async Task<VerifiedLogin> Verify(string key, string token, IReadOnlyCollection<string> appIds, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096 || token.Any(char.IsWhiteSpace))
            throw new NotAuthorizedException("Invalid login token. Token is malformed.");
        return key switch
        {
            Facebook => await FacebookLogin(key, token, appIds, ct),
            _ => await AmazonLogin(key, token, appIds, ct),
        };
    }

    async Task<VerifiedLogin> FacebookLogin(string key, string token, IReadOnlyCollection<string> appIds, CancellationToken ct)
    {
        var url = $"{options.Value.FacebookGraphUrl.TrimEnd('/')}/debug_token?input_token={Uri.EscapeDataString(token)}&access_token={Uri.EscapeDataString(token)}";
        var (ok, body) = await Get(url, ct);
        var data = body?["data"] as JsonObject;
        if (!ok || data is null || data["is_valid"]?.GetValueKind() != JsonValueKind.True)
            throw new NotAuthorizedException("Invalid login token. The Facebook token is not valid.");
        var app = Text(data["app_id"]);
        if (app is null || !appIds.Contains(app)) throw new NotAuthorizedException("Invalid login token. Incorrect token audience.");
        // expires_at 0 is a token that does not expire (long-lived page tokens).
        if (data["expires_at"] is JsonValue e && e.TryGetValue<long>(out var expires) && expires != 0 && expires <= clock.GetUtcNow().ToUnixTimeSeconds())
            throw new NotAuthorizedException("Invalid login token. Token expired.");
        var user = Text(data["user_id"]) ?? throw new NotAuthorizedException("Invalid login token. The Facebook token names no user.");
        return new VerifiedLogin(key, key, user, new JsonObject { ["sub"] = user, ["aud"] = app, ["app_id"] = app }, app);
    }

    async Task<VerifiedLogin> AmazonLogin(string key, string token, IReadOnlyCollection<string> appIds, CancellationToken ct)
    {
        var (ok, body) = await Get($"{options.Value.AmazonApiUrl.TrimEnd('/')}/auth/o2/tokeninfo?access_token={Uri.EscapeDataString(token)}", ct);
        if (!ok || body is null) throw new NotAuthorizedException("Invalid login token. The Amazon token is not valid.");
        var aud = Text(body["aud"]);
        var app = Text(body["app_id"]);
        var matched = new[] { aud, app }.FirstOrDefault(a => a is not null && appIds.Contains(a))
                      ?? throw new NotAuthorizedException("Invalid login token. Incorrect token audience.");
        // exp is the seconds the token has left.
        if (body["exp"] is not JsonValue e || !e.TryGetValue<long>(out var left) || left <= 0)
            throw new NotAuthorizedException("Invalid login token. Token expired.");
        var user = Text(body["user_id"]) ?? throw new NotAuthorizedException("Invalid login token. The Amazon token names no user.");
        return new VerifiedLogin(key, key, user, new JsonObject { ["sub"] = user, ["aud"] = matched }, matched);
    }

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : node is JsonValue n && n.TryGetValue<long>(out var l) ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The provider's JSON answer and whether it was a success; a provider that cannot be reached is Cognito's
    /// ExternalServiceException.</summary>
    async Task<(bool Ok, JsonObject? Body)> Get(string url, CancellationToken ct)
    {
        using var client = httpClients.CreateClient(FederationSetup.HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(10);
        try
        {
            using var response = await client.GetAsync(url, ct);
            if ((int)response.StatusCode >= 500) throw new ExternalServiceException("The login provider did not answer; try again.");
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonObject? body;
            try
            {
                body = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }
            return (response.IsSuccessStatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ExternalServiceException("The login provider did not answer; try again.");
        }
    }
}
