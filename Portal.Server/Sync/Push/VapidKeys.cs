using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Push;

/// <summary>
/// The deployment's VAPID key pair (RFC 8292), made once and kept in the <c>Settings</c> table (the private key protected
/// with Data Protection), so every instance signs with the same key and browsers' subscriptions outlive restarts. Two
/// instances making it at once: the row's key decides, the loser reads the winner's.
/// </summary>
public sealed class VapidKeys(IServiceScopeFactory scopes, IDataProtectionProvider protection) : IDisposable
{
    public const string SettingKey = "sync.push.vapid";
    readonly IDataProtector protector = protection.CreateProtector("Portal.Sync.Push.Vapid");
    readonly SemaphoreSlim making = new(1, 1);
    (string Public, string Private)? cached;

    sealed record Stored(string PublicKey, string ProtectedPrivateKey);

    /// <summary>The key pair, base64url: the public key an uncompressed P-256 point (65 bytes), the private key its scalar.</summary>
    public async Task<(string Public, string Private)> Get(CancellationToken ct)
    {
        if (cached is { } known) return known;
        await making.WaitAsync(ct);
        try
        {
            if (cached is { } again) return again;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SettingKey, ct);
            if (row is null)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var p = key.ExportParameters(includePrivateParameters: true);
                var publicKey = Base64Url([0x04, .. p.Q.X!, .. p.Q.Y!]);
                var stored = new Stored(publicKey, protector.Protect(Base64Url(p.D!)));
                db.Settings.Add(new SettingRow { Key = SettingKey, Value = JsonSerializer.Serialize(stored) });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear();
                }
                row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == SettingKey, ct);
            }
            var read = JsonSerializer.Deserialize<Stored>(row.Value)!;
            cached = (read.PublicKey, protector.Unprotect(read.ProtectedPrivateKey));
            return cached.Value;
        }
        finally
        {
            making.Release();
        }
    }

    public void Dispose() => making.Dispose();

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
