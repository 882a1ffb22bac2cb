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

    /// <summary>Signs a JWT with this header and payload (the header gets <c>alg</c> ES256 and the <c>kid</c>); the signature
    /// is JOSE's r‖s. Segments are base64url without padding.</summary>
    public async Task<string> Sign(JsonObject header, JsonObject payload, CancellationToken ct)
    {
        var k = await Load(ct);
        var h = new JsonObject { ["typ"] = "JWT", ["kid"] = k.Kid, ["alg"] = "ES256" };
        foreach (var (name, value) in header) h[name] = value?.DeepClone();
        var signed = $"{Auth.Jwt.Base64Url(JsonSerializer.SerializeToUtf8Bytes(h))}.{Auth.Jwt.Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        using var ecdsa = ECDsa.Create(k.Parameters);
        var signature = ecdsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signed}.{Auth.Jwt.Base64Url(signature)}";
    }

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
