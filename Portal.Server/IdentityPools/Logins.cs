using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Federation;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.IdentityPools;

/// <summary>A login of a Logins map, verified: which provider (canonical name) and user it names, and the token's claims
/// (for role rules and principal tags).</summary>
public sealed record VerifiedLogin(string Key, string Provider, string LoginId, JsonObject Claims, string? Audience)
{
    /// <summary>The roles a SAML assertion lets its user assume (its <c>https://aws.amazon.com/SAML/Attributes/Role</c>
    /// pairs naming this provider); null for other logins.</summary>
    public IReadOnlyList<string>? AssertedRoles { get; init; }

    /// <summary>A token of Portal's identity issuer (developer-authenticated identities, the basic flow): it proves an
    /// identity rather than naming a login to link.</summary>
    public bool IsIdentityToken => Provider == IdentityTokens.LoginKey;

    /// <summary>The keys a role mapping of this login is set under, most specific first: user pools as
    /// <c>{provider}:{clientId}</c> (as Cognito keys them), then the provider's name as configured or sent.</summary>
    public IEnumerable<string> MappingKeys
    {
        get
        {
            if (Audience is not null) yield return $"{Provider}:{Audience}";
            yield return Provider;
            if (Key != Provider) yield return Key;
        }
    }

    /// <summary>The third amr entry Cognito writes for this login.</summary>
    public string AmrDetail => Provider.StartsWith("cognito-idp.", StringComparison.Ordinal)
        ? $"{Provider}:CognitoSignIn:{LoginId}"
        : $"{Provider}:{LoginId}";
}

/// <summary>
/// Reads Logins maps as apps write them and verifies each token, answering Cognito's NotAuthorizedException otherwise:
/// <list type="bullet">
/// <item>Portal's user pools under <c>cognito-idp.{region}.amazonaws.com/{poolId}</c> or the issuer without its scheme
/// (<c>{host}{path}/{poolId}</c>, as Amplify writes it): an ID token of the pool, signed by its key, aud a client the
/// identity pool lists, not expired, and with ServerSideTokenCheck its session still alive;</item>
/// <item><c>cognito-identity.amazonaws.com</c>: a token of Portal's identity issuer for this pool;</item>
/// <item>Google and Sign in with Apple (JWTs) and OIDC providers by ARN: checked against the issuer's JWKS;</item>
/// <item>Facebook and Login with Amazon (opaque tokens): checked by the provider's token-info API (<see cref="SocialTokens"/>);</item>
/// <item>SAML providers by ARN: a base64 SAML response checked against the IAM SAML provider's metadata;</item>
/// <item>anything else, or a provider the pool does not list: refused.</item>
/// </list>
/// </summary>
public sealed class Logins(
    PortalDb db, SigningKeys keys, Issuer issuer, TokenRevocation revocation, IdentityTokens identityTokens, SocialTokens social, Portal.Server.Sts.SamlAssertions samlAssertions,
    IHttpClientFactory httpClients, IOptions<PortalOptions> options, ConfigCache<SigningKey> userPoolKeys, TimeProvider clock)
{
    public static readonly string[] SocialProviders =
        ["graph.facebook.com", "accounts.google.com", "www.amazon.com", "appleid.apple.com", "api.twitter.com", "www.digits.com"];

    static NotAuthorizedException Unsupported() => new("Token is not from a supported provider of this identity pool.");

    /// <summary>The user pool a login key names, in either form apps use; null when it names no user pool.</summary>
    public string? UserPoolIdOf(string? key)
    {
        if (string.IsNullOrEmpty(key)) return null;
        const string aws = "cognito-idp.";
        string? poolId = null;
        if (key.StartsWith(aws, StringComparison.Ordinal) && key.IndexOf(".amazonaws.com/", StringComparison.Ordinal) is var at and > 0)
            poolId = key[(at + ".amazonaws.com/".Length)..];
        else if (IssuerWithoutScheme() is { } own && key.StartsWith(own + "/", StringComparison.Ordinal))
            poolId = key[(own.Length + 1)..];
        return poolId is { Length: > 0 } && !poolId.Contains('/') && poolId.Contains('_') ? poolId : null;
    }

    /// <summary>The one name a provider is stored and compared under: user pools in the AWS form.</summary>
    public string Canonical(string key) =>
        UserPoolIdOf(key) is { } poolId ? $"cognito-idp.{Ids.RegionOf(poolId)}.amazonaws.com/{poolId}" : key;

    string? IssuerWithoutScheme()
    {
        var url = options.Value.PublicBaseUrl;
        if (url is null) return null;
        var at = url.IndexOf("://", StringComparison.Ordinal);
        return at < 0 ? url : url[(at + 3)..];
    }

    public async Task<IReadOnlyList<VerifiedLogin>> Verify(IdentityPoolRow pool, IReadOnlyDictionary<string, string>? logins, CancellationToken ct)
    {
        var verified = new List<VerifiedLogin>();
        foreach (var (key, token) in logins ?? new Dictionary<string, string>())
        {
            var login = await VerifyOne(pool, key, token, ct);
            if (verified.Any(v => v.Provider == login.Provider))
                throw new InvalidParameterException($"Logins name the provider {login.Provider} twice.");
            verified.Add(login);
        }
        return verified;
    }

    async Task<VerifiedLogin> VerifyOne(IdentityPoolRow pool, string key, string token, CancellationToken ct)
    {
        if (key == IdentityTokens.LoginKey)
        {
            var jwt = await identityTokens.Validate(token, pool.Id, ct);
            var amr = jwt.Payload["amr"] as JsonArray;
            if (amr is null || !amr.Any(a => a?.GetValueKind() == JsonValueKind.String && a.GetValue<string>() == "authenticated"))
                throw new NotAuthorizedException("Invalid login token. Not an authenticated identity's token.");
            return new VerifiedLogin(key, key, jwt.String("sub") ?? throw new NotAuthorizedException("Invalid login token."), jwt.Payload, null);
        }
        var settings = IdentityPoolStore.Settings(pool);
        if (UserPoolIdOf(key) is { } userPoolId) return await UserPoolLogin(settings, key, userPoolId, token, ct);
        if (settings.SupportedLoginProviders?.TryGetValue(key, out var appIds) == true)
        {
            var audiences = appIds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return key switch
            {
                "accounts.google.com" => await ExternalJwt(key, "https://accounts.google.com", token, audiences, ct),
                "appleid.apple.com" => await ExternalJwt(key, "https://appleid.apple.com", token, audiences, ct),
                // Facebook and Amazon tokens are opaque: their provider's token-info API says whose they are.
                SocialTokens.Facebook or SocialTokens.Amazon => await social.Verify(key, token, audiences, ct),
                // Twitter's (and Digits') "token;secret" is an OAuth 1.0a pair: only a request to Twitter's API signed with the
                // pool's consumer secret can prove it, which this deployment cannot make; refused rather than trusted unchecked.
                "api.twitter.com" or "www.digits.com" => throw new NotAuthorizedException(
                    $"Invalid login token. Twitter and Digits logins ({key}) are OAuth 1.0a token;secret pairs that only Twitter's API can check; this endpoint does not accept them."),
                _ => throw new NotAuthorizedException($"Invalid login token. Tokens of {key} cannot be verified by this endpoint."),
            };
        }
        if ((settings.OpenIdConnectProviderARNs ?? []).FirstOrDefault(arn => arn.EndsWith(":oidc-provider/" + key, StringComparison.Ordinal)) is { } oidcArn)
            return await OidcProviderLogin(oidcArn, key, token, ct);
        if ((settings.SamlProviderARNs ?? []).Contains(key)) return await SamlLogin(key, token, ct);
        throw Unsupported();
    }

    async Task<VerifiedLogin> UserPoolLogin(IdentityPoolSettings settings, string key, string userPoolId, string token, CancellationToken ct)
    {
        var provider = Canonical(key);
        var configured = (settings.CognitoIdentityProviders ?? []).Where(p => p.ProviderName is { } n && Canonical(n) == provider).ToList();
        if (configured.Count == 0) throw Unsupported();

        if (!Jwt.TryRead(token, out var jwt) || jwt.Kid is not { } kid || jwt.Alg != "RS256")
            throw new NotAuthorizedException("Invalid login token. Not a valid OpenId Connect identity token.");
        if (jwt.String("iss") != issuer.For(userPoolId)) throw new NotAuthorizedException("Invalid login token. Issuer doesn't match providerName");
        // The user pool's public key by kid, cached per instance (ConfigCache): a key's bytes never change; its retirement is
        // checked here on every call, and a deleted pool's key goes within the cache's delay.
        var signingKey = await userPoolKeys.Get($"{userPoolId}/{kid}", c => keys.Find(userPoolId, kid, c), ct);
        if (signingKey is null || signingKey.RetiredAt <= clock.GetUtcNow() - SigningKeys.LongestTokenValidity)
            throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
        using (var rsa = signingKey.CreatePublic())
            if (!Jwt.Verify(rsa, jwt)) throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
        if (jwt.String("token_use") != "id") throw new NotAuthorizedException("Invalid login token. Not a valid OpenId Connect identity token.");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (jwt.Number("exp") is not { } exp || exp <= now)
            throw new NotAuthorizedException($"Invalid login token. Token expired: {jwt.Number("exp")} >= {now}");
        var aud = jwt.String("aud");
        var client = configured.FirstOrDefault(p => p.ClientId is null || p.ClientId == aud)
                     ?? throw new NotAuthorizedException("Invalid login token. Incorrect token audience.");
        var sub = jwt.String("sub") ?? throw new NotAuthorizedException("Invalid login token. Not a valid OpenId Connect identity token.");

        if (client.ServerSideTokenCheck == true)
        {
            // The user-pool session must still be alive: the user there and enabled, the sign-in not revoked or signed out.
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == sub && u.UserPoolId == userPoolId, ct);
            var ended = user is null || !user.Enabled
                        || (jwt.String("origin_jti") is { } originJti && await revocation.IsRevoked(originJti, ct))
                        || (jwt.Number("iat") is { } iat && await revocation.SignedOut(user, iat, jwt.String("origin_jti"), ct));
            if (ended) throw new NotAuthorizedException("Invalid login token. Token has been revoked.");
        }
        return new VerifiedLogin(key, provider, sub, jwt.Payload, aud);
    }

    /// <summary>A base64 SAML response of an IAM SAML provider the pool lists, verified as STS verifies it (the provider's
    /// metadata keys, AWS's audience and recipient, fresh): the login is its NameID, its attributes the claims.</summary>
    async Task<VerifiedLogin> SamlLogin(string arn, string response, CancellationToken ct)
    {
        Portal.Server.Sts.VerifiedSamlAssertion verified;
        try
        {
            verified = await samlAssertions.Verify(arn, response, db, ct);
        }
        catch (CognitoException e) when (e is not NotAuthorizedException)
        {
            throw new NotAuthorizedException($"Invalid login token. {e.Message}");
        }
        var claims = new JsonObject { ["sub"] = verified.Assertion.NameId, ["iss"] = verified.Assertion.Issuer };
        foreach (var (name, value) in verified.Assertion.Attributes) claims[name] = value;
        return new VerifiedLogin(arn, arn, verified.Assertion.NameId, claims, null) { AssertedRoles = verified.RolesOfProvider() };
    }

    /// <summary>A token of an IAM OIDC provider the pool lists: its issuer's keys, and an audience among the provider's
    /// client ids.</summary>
    async Task<VerifiedLogin> OidcProviderLogin(string arn, string key, string token, CancellationToken ct)
    {
        var provider = await db.IamOidcProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Arn == arn, ct)
                       ?? throw new NotAuthorizedException($"Invalid login token. The OpenID Connect provider {arn} does not exist.");
        var audiences = JsonSerializer.Deserialize<List<string>>(provider.ClientIds) ?? [];
        if (audiences.Count == 0) throw new NotAuthorizedException("Invalid login token. Incorrect token audience.");
        return await ExternalJwt(key, provider.Url.TrimEnd('/'), token, audiences, ct);
    }

    /// <summary>A JWT of an outside issuer, checked against the JWKS its discovery document names.</summary>
    async Task<VerifiedLogin> ExternalJwt(string key, string issuerUrl, string token, IReadOnlyCollection<string> audiences, CancellationToken ct)
    {
        JsonWebKeySet jwks;
        try
        {
            using var client = httpClients.CreateClient(FederationSetup.HttpClientName);
            client.Timeout = TimeSpan.FromSeconds(10);
            using var discovery = JsonDocument.Parse(await client.GetStringAsync(issuerUrl.TrimEnd('/') + "/.well-known/openid-configuration", ct));
            var jwksUri = discovery.RootElement.TryGetProperty("jwks_uri", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (jwksUri is null) throw new NotAuthorizedException("Invalid login token. The provider publishes no keys.");
            jwks = new JsonWebKeySet(await client.GetStringAsync(jwksUri, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or JsonException)
        {
            throw new NotAuthorizedException("Invalid login token. Couldn't verify signed token.");
        }
        var issuers = new List<string> { issuerUrl };
        if (issuerUrl == "https://accounts.google.com") issuers.Add("accounts.google.com");
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = issuers, ValidateIssuer = true,
            ValidAudiences = audiences, ValidateAudience = audiences.Count > 0,
            IssuerSigningKeys = jwks.GetSigningKeys(), ValidateIssuerSigningKey = true, RequireSignedTokens = true,
            RequireExpirationTime = true, ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (_, expires, _, _) => expires is not null && expires > clock.GetUtcNow().UtcDateTime,
        });
        if (!result.IsValid)
            throw new NotAuthorizedException(result.Exception switch
            {
                SecurityTokenExpiredException => "Invalid login token. Token expired.",
                SecurityTokenInvalidAudienceException => "Invalid login token. Incorrect token audience.",
                SecurityTokenInvalidIssuerException => "Invalid login token. Issuer doesn't match providerName",
                _ => "Invalid login token. Couldn't verify signed token.",
            });
        var jwt = (JsonWebToken)result.SecurityToken;
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)) as JsonObject ?? [];
        var sub = claims["sub"]?.GetValueKind() == JsonValueKind.String ? claims["sub"]!.GetValue<string>() : null;
        var aud = claims["aud"]?.GetValueKind() == JsonValueKind.String ? claims["aud"]!.GetValue<string>() : null;
        return new VerifiedLogin(key, key, sub ?? throw new NotAuthorizedException("Invalid login token. The token names no subject."), claims, aud);
    }
}
