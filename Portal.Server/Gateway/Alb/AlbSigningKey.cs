using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.Alb;

/// <summary>
/// The ES256 (P-256) key that signs <c>x-amzn-oidc-data</c>, as an ALB's regional key does: named by a UUID kid, its
/// public half served as PEM at <c>{PublicBaseUrl}/gateway/alb-keys/{kid}</c> (ALB: <c>https://public-keys.auth.elb.{region}.amazonaws.com/{kid}</c>).
/// One key for every instance, kept in the database (the private half protected with Data Protection) and read once per process.
/// </summary>
public sealed class AlbSigningKey(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection) : IDisposable
{
    public const string Setting = "gateway.alb-signing-key";
    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.Gateway.AlbSigningKey");
    readonly SemaphoreSlim loading = new(1, 1);
    volatile Loaded? key;

    sealed record Loaded(string Kid, ECParameters Parameters, string PublicPem);

    public void Dispose() => loading.Dispose();

    public async Task<string> Kid(CancellationToken ct) => (await Load(ct)).Kid;

    /// <summary>The public key in PEM (SubjectPublicKeyInfo) for this kid, or null for any other kid.</summary>
    public async Task<string?> PublicPem(string kid, CancellationToken ct)
    {
        var k = await Load(ct);
        return string.Equals(k.Kid, kid, StringComparison.OrdinalIgnoreCase) ? k.PublicPem : null;
    }

    /// <summary>Signs a JWT with this header and payload as ALB writes x-amzn-oidc-data: the header starts with <c>alg</c>
    /// ES256 and the <c>kid</c>, then the given fields (ALB's <c>signer</c>, <c>iss</c>, <c>client</c>, <c>exp</c>); the
    /// signature is JOSE's r‖s over the encoded header and payload; every segment is base64url WITH its <c>=</c> padding,
    /// as ALB's (AWS's documentation warns verifiers about it; strict RFC 7515 parsers refuse it, aws-jwt-verify accepts it).</summary>
    public async Task<string> Sign(JsonObject header, JsonObject payload, CancellationToken ct)
    {
        var k = await Load(ct);
        var h = new JsonObject { ["alg"] = "ES256", ["kid"] = k.Kid };
        foreach (var (name, value) in header) h[name] = value?.DeepClone();
        var signed = $"{PaddedBase64Url(JsonSerializer.SerializeToUtf8Bytes(h))}.{PaddedBase64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        using var ecdsa = ECDsa.Create(k.Parameters);
        var signature = ecdsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signed}.{PaddedBase64Url(signature)}";
    }

    /// <summary>base64url keeping the trailing <c>=</c> padding, as ALB encodes x-amzn-oidc-data.</summary>
    public static string PaddedBase64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    async Task<Loaded> Load(CancellationToken ct)
    {
        if (key is { } cached) return cached;
        await loading.WaitAsync(ct);
        try
        {
            if (key is { } again) return again;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Setting, ct);
            if (row is null)
            {
                using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                db.Settings.Add(new SettingRow { Key = Setting, Value = $"{Guid.NewGuid():D}:{protector.Protect(Convert.ToBase64String(fresh.ExportPkcs8PrivateKey()))}" });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance made it first: use theirs.
                    db.ChangeTracker.Clear();
                }
                row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == Setting, ct);
            }
            var parts = row.Value.Split(':', 2);
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(parts[1])), out _);
            return key = new Loaded(parts[0], ecdsa.ExportParameters(includePrivateParameters: true), ecdsa.ExportSubjectPublicKeyInfoPem() + "\n");
        }
        finally
        {
            loading.Release();
        }
    }
}
