using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>A pool's RSA key: its kid, when it was made and retired, and the key itself (public and private).</summary>
public sealed record SigningKey(string Kid, string UserPoolId, RSAParameters Parameters, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt)
{
    /// <summary>A fresh RSA object for one use (RSA instances are not shared between threads).</summary>
    public RSA Create() => RSA.Create(Parameters);

    /// <summary>A fresh RSA object of the public key alone, for checking signatures: importing the private parameters
    /// costs about 1 ms of CPU (the key is validated), the public ones a tenth of it.</summary>
    public RSA CreatePublic() => RSA.Create(new RSAParameters { Modulus = Parameters.Modulus, Exponent = Parameters.Exponent });

    /// <summary>The public key as a JWKS entry.</summary>
    public JsonObject Jwk() => new()
    {
        ["alg"] = "RS256",
        ["e"] = Jwt.Base64Url(Parameters.Exponent),
        ["kid"] = Kid,
        ["kty"] = "RSA",
        ["n"] = Jwt.Base64Url(Parameters.Modulus),
        ["use"] = "sig",
    };
}

/// <summary>Decrypted keys by kid: a kid's key never changes, so each instance unprotects it once.</summary>
public sealed class SigningKeyCache
{
    public ConcurrentDictionary<string, RSAParameters> ByKid { get; } = new();
}

/// <summary>
/// Per-pool RS256 signing keys (RSA-2048), the private half stored as PKCS#8 protected with Data Protection.
/// A pool gets its key on first use; rotation retires the current key and makes a new one, and retired keys stay
/// published until every token they signed has expired.
/// </summary>
public sealed class SigningKeys(PortalDb db, IDataProtectionProvider dataProtection, SigningKeyCache cache, TimeProvider clock)
{
    /// <summary>The longest an id or access token can live (Cognito's maximum validity is one day).</summary>
    public static readonly TimeSpan LongestTokenValidity = TimeSpan.FromDays(1);

    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.SigningKeys");

    /// <summary>The key that signs new tokens; made (and added to the unit of work) when the pool has none.
    /// The caller's SaveChanges stores a new key.</summary>
    public async Task<SigningKey> Current(string userPoolId, CancellationToken ct)
    {
        // Several instances may each have made a first key at once: the newest signs, all are published.
        var current = db.SigningKeys.Local.Where(k => k.UserPoolId == userPoolId && k.RetiredAt is null).MaxBy(k => k.CreatedAt);
        if (current is null)
        {
            var stored = await db.SigningKeys.Where(k => k.UserPoolId == userPoolId && k.RetiredAt == null).ToListAsync(ct);
            current = stored.MaxBy(k => k.CreatedAt);
        }
        return Load(current ?? Add(userPoolId));
    }

    /// <summary>The keys a relying party may meet in a token: the active ones and those retired less than a token's life ago.</summary>
    public async Task<IReadOnlyList<SigningKey>> Published(string userPoolId, CancellationToken ct)
    {
        var oldest = clock.GetUtcNow() - LongestTokenValidity;
        var rows = await db.SigningKeys.Where(k => k.UserPoolId == userPoolId && (k.RetiredAt == null || k.RetiredAt > oldest)).ToListAsync(ct);
        return rows.OrderByDescending(k => k.CreatedAt).Select(Load).ToList();
    }

    /// <summary>A published key of the pool by kid, for validating a token; null when unknown, of another pool or long retired.</summary>
    public async Task<SigningKey?> Find(string userPoolId, string kid, CancellationToken ct)
    {
        var oldest = clock.GetUtcNow() - LongestTokenValidity;
        var row = await db.SigningKeys.FirstOrDefaultAsync(k => k.Kid == kid && k.UserPoolId == userPoolId, ct);
        return row is null || row.RetiredAt <= oldest ? null : Load(row);
    }

    /// <summary>Retires the pool's active keys and makes a new one; saved at once.</summary>
    public async Task<SigningKey> Rotate(string userPoolId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var active in await db.SigningKeys.Where(k => k.UserPoolId == userPoolId && k.RetiredAt == null).ToListAsync(ct))
            active.RetiredAt = now;
        var row = Add(userPoolId);
        await db.SaveChangesAsync(ct);
        return Load(row);
    }

    SigningKeyRow Add(string userPoolId)
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        var row = new SigningKeyRow
        {
            Kid = Thumbprint(parameters),
            UserPoolId = userPoolId,
            PrivateKey = Convert.ToBase64String(protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = clock.GetUtcNow(),
        };
        db.SigningKeys.Add(row);
        cache.ByKid[row.Kid] = parameters;
        return row;
    }

    SigningKey Load(SigningKeyRow row)
    {
        var parameters = cache.ByKid.GetOrAdd(row.Kid, kid =>
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(row.PrivateKey)), out _);
            return rsa.ExportParameters(includePrivateParameters: true);
        });
        return new SigningKey(row.Kid, row.UserPoolId, parameters, row.CreatedAt, row.RetiredAt);
    }

    /// <summary>The RFC 7638 JWK thumbprint: unique per key and stable, so every instance names a key alike.</summary>
    static string Thumbprint(RSAParameters p) => Jwt.Base64Url(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{{\"e\":\"{Jwt.Base64Url(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Jwt.Base64Url(p.Modulus)}\"}}")));
}
