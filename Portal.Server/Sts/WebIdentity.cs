using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Client.Contract.Sts;
using Portal.Server.Auth;
using Portal.Server.Outbound;
using Portal.Server.Storage;

namespace Portal.Server.Sts;

/// <summary>Portal's own identity issuer (identity pools' OpenID tokens, <c>{PublicBaseUrl}/identity</c>), implemented by
/// the identity pools: its signing keys without an HTTP round trip, and whether a pool allows the basic (classic) flow.
/// When no implementation is registered, STS reads the issuer's JWKS over HTTP and does not check the classic flow.</summary>
public interface IIdentityIssuer
{
    Task<IReadOnlyCollection<SecurityKey>> SigningKeys(CancellationToken ct);

    /// <summary>Whether the identity pool allows the basic flow (AssumeRoleWithWebIdentity with its token); null when no such pool.</summary>
    Task<bool?> AllowsClassicFlow(string identityPoolId, CancellationToken ct);
}

/// <summary>A web identity token that passed its checks: the provider as trust policies name it (Federated principal and
/// condition key prefix), and its claims.</summary>
public sealed record VerifiedWebIdentity(string Provider, string PrincipalId, string Subject, string Audience, IReadOnlyList<string> Amr,
    IReadOnlyDictionary<string, JsonElement> Claims, DateTimeOffset Expires);

/// <summary>Validates the tokens AssumeRoleWithWebIdentity accepts, as STS does: Portal's own identity tokens (provider
/// cognito-identity.amazonaws.com) and tokens of an IAM OIDC provider (issuer = the provider's URL, audience in its client
/// ids, keys from the issuer's discovery document over the guarded outbound client).</summary>
public sealed class WebIdentity(Issuer issuer, IHttpClientFactory httpClients, OutboundAddresses outbound, TimeProvider clock, IServiceProvider services)
{
    public const string HttpClientName = "Portal.Sts.WebIdentity";
    static readonly TimeSpan KeysLifetime = TimeSpan.FromMinutes(10);
    /// <summary>Issuers whose keys are kept at once (a flood of distinct providers cannot grow the cache without bound).</summary>
    const int MaxCachedIssuers = 256;
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    readonly ConcurrentDictionary<string, (IReadOnlyCollection<SecurityKey> Keys, DateTimeOffset At)> keyCache = new(StringComparer.Ordinal);

    public string OwnIssuer => issuer.BaseUrl.TrimEnd('/') + "/identity";

    public async Task<VerifiedWebIdentity> Verify(string token, PortalDb db, CancellationToken ct)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            throw new InvalidIdentityTokenException("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }
        var iss = jwt.Issuer;
        if (string.IsNullOrEmpty(iss)) throw new InvalidIdentityTokenException("Missing a required claim: iss");

        string provider, principalId;
        IReadOnlyCollection<string>? audiences = null;
        IReadOnlyCollection<SecurityKey> keys;
        if (string.Equals(iss, OwnIssuer, StringComparison.Ordinal))
        {
            provider = principalId = RoleCredentials.CognitoIdentityProvider;
            keys = services.GetService<IIdentityIssuer>() is { } own ? await own.SigningKeys(ct) : await Keys(iss, null, ct);
        }
        else
        {
            var url = iss.StartsWith("https://", StringComparison.Ordinal) ? iss.TrimEnd('/') : "https://" + iss.TrimEnd('/');
            var row = await db.IamOidcProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Url == url, ct)
                      ?? throw new InvalidIdentityTokenException($"No OpenIDConnect provider found in your account for {iss}");
            provider = url["https://".Length..];
            principalId = row.Arn;
            audiences = System.Text.Json.JsonSerializer.Deserialize<List<string>>(row.ClientIds) ?? [];
            keys = await Keys(iss, System.Text.Json.JsonSerializer.Deserialize<List<string>>(row.Thumbprints) ?? [], ct);
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = iss,
            ValidateIssuer = true,
            ValidateAudience = false,
            IssuerSigningKeys = keys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidateLifetime = false,
            TryAllIssuerSigningKeys = true,
        });
        if (!result.IsValid) throw new InvalidIdentityTokenException("The web identity token's signature could not be verified.");

        var now = clock.GetUtcNow();
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp)) throw new InvalidIdentityTokenException("Missing a required claim: exp");
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires + ClockSkew <= now)
            throw new ExpiredTokenException($"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time {exp}");
        if (jwt.TryGetPayloadValue<long>("nbf", out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) - ClockSkew > now)
            throw new InvalidIdentityTokenException("The web identity token is not valid yet.");
        var aud = jwt.Audiences.ToList();
        if (aud.Count == 0) throw new InvalidIdentityTokenException("Missing a required claim: aud");
        if (audiences is not null && !aud.Any(a => audiences.Contains(a)))
            throw new InvalidIdentityTokenException("Incorrect token audience");
        if (string.IsNullOrEmpty(jwt.Subject)) throw new InvalidIdentityTokenException("Missing a required claim: sub");

        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        var claims = payload.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        var amr = claims.TryGetValue("amr", out var a) ? a.ValueKind switch
        {
            JsonValueKind.Array => a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList(),
            JsonValueKind.String => [a.GetString()!],
            _ => [],
        } : [];
        var audience = audiences is null ? aud[0] : aud.First(x => audiences.Contains(x));
        return new VerifiedWebIdentity(provider, principalId, jwt.Subject, audience, amr, claims, expires);
    }

    /// <summary>The issuer's keys from its discovery document's jwks_uri (or {issuer}/.well-known/jwks.json), kept ten minutes.
    /// An IAM OIDC provider's issuer (<paramref name="thumbprints"/> not null) is reached over a connection checked as AWS
    /// checks it (<see cref="ThumbprintCheck"/>).</summary>
    async Task<IReadOnlyCollection<SecurityKey>> Keys(string iss, IReadOnlyCollection<string>? thumbprints, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (keyCache.TryGetValue(iss, out var cached) && now - cached.At < KeysLifetime) return cached.Keys;
        SocketsHttpHandler? handler = null;
        if (thumbprints is not null)
        {
            // Per provider: the TLS check depends on its thumbprints, and the connection is used for two requests every ten minutes at most.
            handler = outbound.Handler();
            handler.SslOptions.RemoteCertificateValidationCallback = ThumbprintCheck(thumbprints);
        }
        using var owned = handler;
        using var client = handler is null ? httpClients.CreateClient(HttpClientName) : new HttpClient(handler, disposeHandler: false);
        client.Timeout = TimeSpan.FromSeconds(10);
        var baseUrl = iss.StartsWith("http", StringComparison.Ordinal) ? iss.TrimEnd('/') : "https://" + iss.TrimEnd('/');
        try
        {
            string jwksUri = baseUrl + "/.well-known/jwks.json";
            using (var response = await client.GetAsync(baseUrl + "/.well-known/openid-configuration", ct))
            {
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    if (doc.RootElement.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String) jwksUri = j.GetString()!;
                }
            }
            var keys = new JsonWebKeySet(await client.GetStringAsync(jwksUri, ct)).GetSigningKeys().ToList();
            if (keyCache.Count >= MaxCachedIssuers)
            {
                foreach (var (k, v) in keyCache)
                    if (now - v.At >= KeysLifetime) keyCache.TryRemove(k, out _);
                if (keyCache.Count >= MaxCachedIssuers) keyCache.Clear();
            }
            keyCache[iss] = (keys, now);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or ArgumentException)
        {
            throw new IdpCommunicationErrorException($"Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements ({(e is HttpRequestException ? OutboundAddresses.Reason(e) : e.GetType().Name)})");
        }
    }

    /// <summary>
    /// The TLS check of an IAM OIDC provider's issuer, as AWS STS documents it: since July 2023 AWS verifies the issuer's
    /// certificate against its library of trusted root CAs and ignores the thumbprints when the certificate chains to one
    /// of them; only a certificate no trusted CA signed (self-signed, a private CA) is accepted by the provider's
    /// thumbprints: the hex SHA-1 of the top certificate of the chain the issuer presents (its top intermediate CA, or the
    /// certificate itself when self-signed). Portal does the same with the machine's trusted roots: a chain the system
    /// trusts passes; otherwise the host name must still match and a certificate of the chain must have a listed
    /// thumbprint (the chain's signatures are checked by the chain build even when its root is unknown).
    /// </summary>
    public static System.Net.Security.RemoteCertificateValidationCallback ThumbprintCheck(IReadOnlyCollection<string> thumbprints) =>
        (_, certificate, chain, errors) =>
        {
            if (errors == System.Net.Security.SslPolicyErrors.None) return true;
            if (certificate is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch)
                                    || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
            var presented = new List<string> { certificate.GetCertHashString() };
            if (chain is not null)
                foreach (var element in chain.ChainElements)
                {
                    if (element.ChainElementStatus.Any(s => s.Status is not (System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.UntrustedRoot
                            or System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.NoError
                            or System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.PartialChain))) return false;
                    presented.Add(element.Certificate.GetCertHashString());
                }
            return presented.Any(p => thumbprints.Contains(p, StringComparer.OrdinalIgnoreCase));
        };
}
