using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools;

/// <summary>
/// OpenID tokens for identities (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity), as Cognito's
/// <c>cognito-identity.amazonaws.com</c> issuer writes them but issued by Portal: iss <c>{PublicBaseUrl}/identity</c>,
/// aud the identity pool, sub the identity, amr <c>["authenticated", provider, provider:…]</c> or <c>["unauthenticated"]</c>,
/// session tags under <c>https://aws.amazon.com/tags</c>. Signed with a key set of their own (the signing-key machinery of
/// user pools under the name <see cref="KeySet"/>, which no user pool id can take), published at
/// <c>{issuer}/.well-known/jwks.json</c>; STS (embedded or a real AWS account's) validates them against that issuer.
/// </summary>
public sealed class IdentityTokens(SigningKeys keys, Issuer issuer, PortalDb db, TimeProvider clock)
{
    /// <summary>The key set's name in the signing-key store (user pool ids always hold an underscore).</summary>
    public const string KeySet = "identity";

    /// <summary>The login key apps use to present a token of this issuer (developer-authenticated identities).</summary>
    public const string LoginKey = "cognito-identity.amazonaws.com";

    public static readonly TimeSpan DefaultValidity = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DeveloperDefaultValidity = TimeSpan.FromMinutes(15);

    public string IssuerUrl => issuer.Location(KeySet);

    /// <summary>A signed token for the identity; its key (made on first use) is saved with the operation.</summary>
    public async Task<string> Issue(string identityPoolId, string identityId, IReadOnlyList<string> amr,
        IReadOnlyDictionary<string, string>? principalTags, TimeSpan validity, CancellationToken ct)
    {
        var key = await keys.Current(KeySet, ct);
        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["sub"] = identityId,
            ["aud"] = identityPoolId,
            ["amr"] = new JsonArray(amr.Select(a => (JsonNode)a).ToArray()),
        };
        if (principalTags is { Count: > 0 })
        {
            // The AWS session-tags claim STS AssumeRoleWithWebIdentity reads (values as one-element lists).
            var tags = new JsonObject();
            foreach (var (k, v) in principalTags) tags[k] = new JsonArray(v);
            payload["https://aws.amazon.com/tags"] = new JsonObject { ["principal_tags"] = tags };
        }
        payload["iss"] = IssuerUrl;
        payload["exp"] = now + (long)validity.TotalSeconds;
        payload["iat"] = now;
        using var rsa = key.Create();
        return Jwt.Sign(rsa, key.Kid, payload);
    }

    /// <summary>The claims of a token this issuer signed for <paramref name="identityPoolId"/>, checked (signature, issuer,
    /// audience, expiry); NotAuthorizedException otherwise.</summary>
    public async Task<JwtParts> Validate(string? token, string identityPoolId, CancellationToken ct)
    {
        if (!Jwt.TryRead(token, out var jwt) || jwt.Kid is not { } kid || jwt.Alg != "RS256")
            throw new NotAuthorizedException("Invalid login token. Not a valid OpenId Connect identity token.");
        var key = await keys.Find(KeySet, kid, ct) ?? throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
        using (var rsa = key.CreatePublic())
            if (!Jwt.Verify(rsa, jwt)) throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
        if (jwt.String("iss") != IssuerUrl) throw new NotAuthorizedException("Invalid login token. Issuer doesn't match providerName");
        if (jwt.String("aud") != identityPoolId) throw new NotAuthorizedException("Invalid login token. Incorrect token audience.");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (jwt.Number("exp") is not { } exp || exp <= now)
            throw new NotAuthorizedException($"Invalid login token. Token expired: {jwt.Number("exp")} >= {now}");
        return jwt;
    }

    /// <summary>The session tags a token of this issuer carries (developer identities' PrincipalTags).</summary>
    public static Dictionary<string, string> PrincipalTagsOf(JsonObject claims)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (claims["https://aws.amazon.com/tags"]?["principal_tags"] is JsonObject principal)
            foreach (var (k, v) in principal)
                if (RoleChoice.Strings(v) is [var first, ..]) tags[k] = first;
        return tags;
    }

    /// <summary>The published keys of the identity issuer (made on first ask, so relying parties can be set up ahead).</summary>
    public async Task<IReadOnlyList<SigningKey>> Published(CancellationToken ct)
    {
        var published = await keys.Published(KeySet, ct);
        if (published.Count > 0) return published;
        var first = await keys.Current(KeySet, ct);
        await db.SaveChangesAsync(ct);
        return [first];
    }
}
