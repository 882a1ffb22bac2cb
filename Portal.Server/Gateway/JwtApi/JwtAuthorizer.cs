using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.JwtApi;

/// <summary>A JWT authorizer as API Gateway HTTP APIs configure it: the pool whose JWKS signs the tokens (issuer
/// <c>{PublicBaseUrl}/{poolId}</c> unless given), the audiences (an ID token's <c>aud</c> or an access token's
/// <c>client_id</c>), the route's authorization scopes (any one is enough), which token uses are accepted, and whether
/// revoked tokens (RevokeToken, global sign-out) are refused, which costs a database read per request.</summary>
public sealed record JwtAuthorizerSettings
{
    public string UserPoolId { get; set; } = "";
    public string? Issuer { get; set; }
    public List<string> Audience { get; set; } = [];
    public List<string> Scopes { get; set; } = [];
    /// <summary><c>id</c>, <c>access</c> or both (the default, as API Gateway takes either).</summary>
    public List<string> TokenUse { get; set; } = ["id", "access"];
    public bool CheckRevocation { get; set; }
}

/// <summary>What the authorizer decided: 200 with the token's claims, 401 (no token, or not a valid one) or 403 (valid but
/// without a route scope). <see cref="Reason"/> says why, for the decision log (never to the caller).</summary>
public sealed record JwtAuthorization(int Status, JsonObject? Claims, string Reason, string? WwwAuthenticate)
{
    public bool Allowed => Status == 200;

    /// <summary>The claims as the backend receives them (<see cref="JwtClaimHeaders.For"/>), made once per verified token.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ClaimHeaders { get; init; } = [];

    /// <summary>Who called, for the decision log: the username, else the subject, else the client.</summary>
    public string? Caller => Claims is null ? null
        : Str(Claims, "username") ?? Str(Claims, "cognito:username") ?? Str(Claims, "sub") ?? Str(Claims, "client_id");

    /// <summary>The body API Gateway's HTTP APIs answer with.</summary>
    public string Body => Status == 403 ? """{"message":"Forbidden"}""" : """{"message":"Unauthorized"}""";

    static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>
/// Verifies the bearer token of a request to a JWT route as API Gateway's JWT authorizer does: the identity source is
/// the Authorization header (with or without <c>Bearer </c>), the signature with a published key of the pool (RS256),
/// <c>iss</c>, <c>aud</c> or <c>client_id</c>, <c>exp</c> / <c>nbf</c> / <c>iat</c>, <c>token_use</c>, and then the
/// route's scopes against the <c>scope</c> claim.
/// </summary>
public sealed class JwtAuthorizer(PortalDb db, SigningKeys keys, TokenRevocation revocation, Issuer issuer, TimeProvider clock)
{
    /// <summary>The leeway API Gateway allows on <c>nbf</c> and <c>iat</c> for clocks a little ahead.</summary>
    static readonly TimeSpan Leeway = TimeSpan.FromMinutes(5);

    /// <summary>How long a pool's published public key is kept in memory after it was read: an authorized request then
    /// costs no database read and no private-key import (about 1 ms of CPU). A key that stops being published (its pool
    /// deleted) is still accepted for at most this long; a retired key stays published for a token's lifetime anyway.</summary>
    public static readonly TimeSpan KeyCacheTime = TimeSpan.FromSeconds(60);

    const int MaxCachedKeys = 4096;
    static readonly ConcurrentDictionary<(string Pool, string Kid), (RSAParameters Key, DateTimeOffset Until)> PublishedKeys = new();

    /// <summary>The most verified tokens kept; beyond it the expired ones go, and if that is not enough, all of them.</summary>
    public const int MaxCachedTokens = 10_000;

    /// <summary>A token whose signature was verified with a key the pool publishes: parsed once, its claims' headers made once.
    /// Kept (keyed by the pool and the SHA-256 of the token, never the token itself) until the token's <c>exp</c> or for
    /// <see cref="KeyCacheTime"/>, whichever is sooner, so a key that stops being published stops vouching for it as soon as
    /// the key cache would. Only the signature check is saved: every other check (issuer, expiry against the clock, use,
    /// audience, scopes and, when the route asks, revocation in the database) runs on every request.</summary>
    sealed record VerifiedToken(JwtParts Jwt, IReadOnlyList<KeyValuePair<string, string>> Headers, DateTimeOffset Until);

    static readonly ConcurrentDictionary<(string Pool, UInt128 High, UInt128 Low), VerifiedToken> VerifiedTokens = new();

    public async Task<JwtAuthorization> Authorize(string? authorization, JwtAuthorizerSettings settings, CancellationToken ct)
    {
        var token = authorization?.Trim();
        if (string.IsNullOrEmpty(token)) return Unauthorized("no Authorization header", null);
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = token[7..].Trim();
        if (token.Length > 16384) return Unauthorized("not a JWT", "the token is malformed");

        var now = clock.GetUtcNow();
        var cacheKey = CacheKey(settings.UserPoolId, token);
        JwtParts jwt;
        IReadOnlyList<KeyValuePair<string, string>> headers;
        if (VerifiedTokens.TryGetValue(cacheKey, out var verified) && verified.Until > now)
            (jwt, headers) = (verified.Jwt, verified.Headers);
        else
        {
            if (!Auth.Jwt.TryRead(token, out jwt)) return Unauthorized("not a JWT", "the token is malformed");
            if (jwt.Alg != "RS256" || jwt.Kid is not { } kid) return Unauthorized($"alg {jwt.Alg} or no kid", "the token is not signed with RS256");

            if (await PublicKey(settings.UserPoolId, kid, ct) is not { } publicKey)
                return Unauthorized($"kid {kid} is not a published key of {settings.UserPoolId}", "signing key not found");
            using (var rsa = RSA.Create(publicKey))
                if (!Auth.Jwt.Verify(rsa, jwt)) return Unauthorized("bad signature", "the token signature is invalid");
            headers = JwtClaimHeaders.For(jwt.Payload);
            var until = now + KeyCacheTime;
            if (jwt.Number("exp") is { } expires && DateTimeOffset.FromUnixTimeSeconds(expires) < until) until = DateTimeOffset.FromUnixTimeSeconds(expires);
            if (until > now) Remember(cacheKey, new VerifiedToken(jwt, headers, until), now);
        }

        var expectedIssuer = string.IsNullOrWhiteSpace(settings.Issuer) ? issuer.For(settings.UserPoolId) : settings.Issuer.TrimEnd('/');
        if (jwt.String("iss") != expectedIssuer) return Unauthorized($"iss {jwt.String("iss")} is not {expectedIssuer}", "the token does not have a valid issuer");

        if (jwt.Number("exp") is not { } exp) return Unauthorized("no exp", "the token does not have an expiry");
        if (DateTimeOffset.FromUnixTimeSeconds(exp) <= now) return Unauthorized("expired", "the token has expired");
        if (jwt.Number("nbf") is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) > now + Leeway)
            return Unauthorized("not yet valid (nbf)", "the token is not valid yet");
        if (jwt.Number("iat") is { } iat && DateTimeOffset.FromUnixTimeSeconds(iat) > now + Leeway)
            return Unauthorized("issued in the future (iat)", "the token is not valid yet");

        var use = jwt.String("token_use");
        if (use is null || !settings.TokenUse.Contains(use)) return Unauthorized($"token_use {use} is not accepted", "the token is not of an accepted use");
        // API Gateway checks aud when the token has one (ID tokens) and client_id otherwise (Cognito access tokens).
        var audiences = Audiences(jwt.Payload);
        var clientId = audiences.Count > 0 ? null : jwt.String("client_id");
        if (!(audiences.Any(settings.Audience.Contains) || (clientId is not null && settings.Audience.Contains(clientId))))
            return Unauthorized($"audience {string.Join(",", audiences.DefaultIfEmpty(clientId ?? "none"))} is not configured", "the token does not have a valid audience");

        if (settings.CheckRevocation && await Revoked(jwt, settings.UserPoolId, ct) is { } why)
            return Unauthorized(why, "the token has been revoked");

        if (settings.Scopes.Count > 0)
        {
            var held = (jwt.String("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!settings.Scopes.Any(held.Contains))
                return new JwtAuthorization(403, null, $"none of the route's scopes ({string.Join(" ", settings.Scopes)}) in the token",
                    $"Bearer scope=\"{string.Join(" ", settings.Scopes)}\" error=\"insufficient_scope\" error_description=\"expected scopes: {string.Join(" ", settings.Scopes)}\"");
        }
        return new JwtAuthorization(200, jwt.Payload, use == "id" ? "valid ID token" : "valid access token", null) { ClaimHeaders = headers };
    }

    static (string Pool, UInt128 High, UInt128 Low) CacheKey(string pool, string token)
    {
        Span<byte> hash = stackalloc byte[32];
        var length = System.Text.Encoding.UTF8.GetByteCount(token);
        var bytes = length <= 4096 ? stackalloc byte[length] : new byte[length];
        System.Text.Encoding.UTF8.GetBytes(token, bytes);
        SHA256.HashData(bytes, hash);
        return (pool, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash), System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash[16..]));
    }

    static void Remember((string Pool, UInt128 High, UInt128 Low) key, VerifiedToken token, DateTimeOffset now)
    {
        if (VerifiedTokens.Count >= MaxCachedTokens)
        {
            foreach (var (k, v) in VerifiedTokens)
                if (v.Until <= now) VerifiedTokens.TryRemove(k, out _);
            if (VerifiedTokens.Count >= MaxCachedTokens) VerifiedTokens.Clear();
        }
        VerifiedTokens[key] = token;
    }

    /// <summary>The public half of a published key of the pool, from memory for <see cref="KeyCacheTime"/> after a read.</summary>
    async Task<RSAParameters?> PublicKey(string userPoolId, string kid, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (PublishedKeys.TryGetValue((userPoolId, kid), out var cached) && cached.Until > now) return cached.Key;
        var key = await keys.Find(userPoolId, kid, ct);
        if (key is null)
        {
            PublishedKeys.TryRemove((userPoolId, kid), out _);
            return null;
        }
        var publicKey = new RSAParameters { Modulus = key.Parameters.Modulus, Exponent = key.Parameters.Exponent };
        if (PublishedKeys.Count > MaxCachedKeys) PublishedKeys.Clear();
        PublishedKeys[(userPoolId, kid)] = (publicKey, now + KeyCacheTime);
        return publicKey;
    }

    async Task<string?> Revoked(JwtParts jwt, string userPoolId, CancellationToken ct)
    {
        if (jwt.String("origin_jti") is { } originJti && await revocation.IsRevoked(originJti, ct)) return "revoked (its refresh token family)";
        if (jwt.String("sub") is not { } sub || jwt.Number("iat") is not { } iat) return null;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == sub && u.UserPoolId == userPoolId, ct);
        // A client-credentials token's sub is the client, not a user.
        if (user is null) return jwt.String("client_id") == sub ? null : "the user no longer exists";
        if (!user.Enabled) return "the user is disabled";
        return await revocation.SignedOut(user, iat, jwt.String("origin_jti"), ct) ? "issued before the user's global sign-out" : null;
    }

    static List<string> Audiences(JsonObject payload) => payload["aud"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a => a.OfType<JsonValue>().Where(x => x.GetValueKind() == JsonValueKind.String).Select(x => x.GetValue<string>()).ToList(),
        _ => [],
    };

    static JwtAuthorization Unauthorized(string reason, string? description) => new(401, null, reason,
        description is null ? "Bearer" : $"Bearer scope=\"\" error=\"invalid_token\" error_description=\"{description}\"");
}
