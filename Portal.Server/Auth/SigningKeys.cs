using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>A pool's RSA key: its kid, when it was made and retired, and the key itself (public and private).</summary>
public sealed record SigningKey(string Kid, string UserPoolId, RSAParameters Parameters, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt)
{
    /// <summary>A fresh RSA object for one use (RSA instances are not shared between threads).</summary>
    public RSA Create() => RSA.Create(Parameters);

    /// <summary>The kept RSA objects of this key that sign tokens (see <see cref="SignerPool"/>).</summary>
    public SignerPool? Signers { get; init; }

    /// <summary>An RSA object of this key for one signature, kept for the next one when returned.</summary>
    public Signer Rent() => (Signers ?? new SignerPool(Parameters)).Rent();

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

/// <summary>Decrypted keys by kid: a kid's key never changes, so each instance unprotects it once, and imports it into
/// RSA objects for signing only as many times as tokens are signed at once. And each pool's active key, which every
/// token minted reads: kept per instance like the pool's settings, and forgotten when a key of the pool is retired or
/// deleted (here at once, on other instances by the change notifications), so a rotation is seen everywhere within the
/// notifications' delay and <see cref="ConfigCache{T}.Ttl"/> at the latest.</summary>
public sealed class SigningKeyCache(TimeProvider clock)
{
    public ConcurrentDictionary<string, RSAParameters> ByKid { get; } = new();

    public ConcurrentDictionary<string, SignerPool> Signers { get; } = new();

    /// <summary>The active key by pool id (only found keys: a pool's first key is made and stored before it is kept).</summary>
    public ConfigCache<SigningKey> Active { get; } = new(clock);
}

/// <summary>RSA objects with one private key imported, kept between signatures: importing a private key checks it (about
/// 1 ms of CPU, more than the signature itself), a kept object signs at once. An object serves one signature at a
/// time (RSA instances are not shared between threads): it is rented, then returned; a few are kept.</summary>
public sealed class SignerPool(RSAParameters parameters)
{
    const int Kept = 16;
    readonly ConcurrentBag<RSA> idle = [];

    public Signer Rent() => new(this, idle.TryTake(out var rsa) ? rsa : RSA.Create(parameters));

    internal void Return(RSA rsa)
    {
        if (idle.Count < Kept) idle.Add(rsa);
        else rsa.Dispose();
    }
}

/// <summary>A rented RSA object; disposing it gives it back to its pool.</summary>
public sealed class Signer(SignerPool pool, RSA rsa) : IDisposable
{
    public RSA Rsa => rsa;

    public void Dispose() => pool.Return(rsa);
}

/// <summary>
/// Per-pool RS256 signing keys (RSA-2048), the private half stored as PKCS#8 protected with Data Protection.
/// A pool gets its key on first use; rotation retires the current key and makes a new one, and retired keys stay
/// published until every token they signed has expired.
/// </summary>
public sealed class SigningKeys(PortalDb db, IDataProtectionProvider dataProtection, SigningKeyCache cache, TimeProvider clock,
    IServiceScopeFactory scopes)
{
    /// <summary>The longest an id or access token can live (Cognito's maximum validity is one day).</summary>
    public static readonly TimeSpan LongestTokenValidity = TimeSpan.FromDays(1);

    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.SigningKeys");

    /// <summary>The key that signs new tokens, made when the pool has none. A pool has one active key (a unique index
    /// on the pool's unretired keys): of several first sign-ins at once, on one instance or many, one key is stored and
    /// the others read it.</summary>
    public async Task<SigningKey> Current(string userPoolId, CancellationToken ct)
    {
        // A key this operation made or retired is the truth for it; otherwise the instance's copy of the active key.
        if (db.SigningKeys.Local.Where(k => k.UserPoolId == userPoolId && k.RetiredAt is null).MaxBy(k => k.CreatedAt) is { } local) return Load(local);
        var current = db.SigningKeys.Local.Any(k => k.UserPoolId == userPoolId)
            ? await ActiveKey(userPoolId, ct)
            : await cache.Active.Get(userPoolId, c => ActiveKey(userPoolId, c), ct);
        if (current is not null) return current;
        var made = New(userPoolId, out var parameters);
        await InsertIfNoneActive(made, ct);
        var stored = await Active(userPoolId, ct) ?? throw new InvalidOperationException($"No signing key could be stored for {userPoolId}.");
        if (stored.Kid == made.Kid) cache.ByKid[made.Kid] = parameters;
        return Load(stored);
    }

    async Task<SigningKey?> ActiveKey(string userPoolId, CancellationToken ct) => await Active(userPoolId, ct) is { } row ? Load(row) : null;

    async Task<SigningKeyRow?> Active(string userPoolId, CancellationToken ct) =>
        (await db.SigningKeys.AsNoTracking().Where(k => k.UserPoolId == userPoolId && k.RetiredAt == null).ToListAsync(ct)).MaxBy(k => k.CreatedAt);

    /// <summary>INSERT … ON CONFLICT DO NOTHING against the one-active-key index. On PostgreSQL it commits at once on its
    /// own connection, so a racing sign-in waits for a one-row transaction, not for another whole operation; SQLite has
    /// a single writer, so it is the unit of work's durable write (committed at once, or inside the operation's transaction).</summary>
    async Task InsertIfNoneActive(SigningKeyRow row, CancellationToken ct)
    {
        const string Sql = "INSERT INTO \"SigningKeys\" (\"Kid\", \"UserPoolId\", \"PrivateKey\", \"CreatedAt\") VALUES ({0}, {1}, {2}, {3}) ON CONFLICT DO NOTHING";
        if (db.Database.IsNpgsql())
        {
            await using var scope = scopes.CreateAsyncScope();
            var own = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await own.Database.ExecuteSqlRawAsync(Sql, [row.Kid, row.UserPoolId, row.PrivateKey, row.CreatedAt], ct);
            return;
        }
        var createdAt = db.Model.FindEntityType(typeof(SigningKeyRow))!.FindProperty(nameof(SigningKeyRow.CreatedAt))!.GetTypeMapping().Converter
            ?.ConvertToProvider(row.CreatedAt) ?? row.CreatedAt;
        // A key stored is worth keeping even if the operation fails (the unit of work's durable write).
        await db.Work.Durably(c => db.Database.ExecuteSqlRawAsync(Sql, [row.Kid, row.UserPoolId, row.PrivateKey, createdAt], c), ct);
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
        // Retired first: the new key may only be stored once no other is active.
        await db.SaveChangesAsync(ct);
        var row = New(userPoolId, out var parameters);
        db.SigningKeys.Add(row);
        await db.SaveChangesAsync(ct);
        // The retirement's save named the old key: this instance forgot the pool's active key then and forgets it again at
        // the commit, the others on its notification (ChangeNotifications.ForgetHere).
        cache.ByKid[row.Kid] = parameters;
        return Load(row);
    }

    SigningKeyRow New(string userPoolId, out RSAParameters parameters)
    {
        using var rsa = RSA.Create(2048);
        parameters = rsa.ExportParameters(includePrivateParameters: true);
        return new SigningKeyRow
        {
            Kid = Thumbprint(parameters),
            UserPoolId = userPoolId,
            PrivateKey = Convert.ToBase64String(protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = clock.GetUtcNow(),
        };
    }

    SigningKey Load(SigningKeyRow row)
    {
        var parameters = cache.ByKid.GetOrAdd(row.Kid, kid =>
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(row.PrivateKey)), out _);
            return rsa.ExportParameters(includePrivateParameters: true);
        });
        return new SigningKey(row.Kid, row.UserPoolId, parameters, row.CreatedAt, row.RetiredAt)
        {
            Signers = cache.Signers.GetOrAdd(row.Kid, _ => new SignerPool(parameters)),
        };
    }

    /// <summary>The RFC 7638 JWK thumbprint: unique per key and stable, so every instance names a key alike.</summary>
    static string Thumbprint(RSAParameters p) => Jwt.Base64Url(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{{\"e\":\"{Jwt.Base64Url(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Jwt.Base64Url(p.Modulus)}\"}}")));
}
