using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>
/// Answers for names that are no user, when the client prevents user existence errors: the same work and the same shapes
/// as for a real user, so neither timing nor the SRP challenge tells an account exists.
/// </summary>
public sealed class UnknownUsers(PortalDb db, PasswordHasher hasher)
{
    const string SaltKeySetting = "auth:unknown-user-salt-key";

    /// <summary>Costs what checking a real password costs.</summary>
    public async Task SpendPasswordCheck(string password, CancellationToken ct) => _ = await hasher.Hash(password, ct);

    /// <summary>A salt that is stable for a name (as a real user's is), from a secret kept in the store.</summary>
    public async Task<string> Salt(string userPoolId, string username, CancellationToken ct)
    {
        var key = await SaltKey(ct);
        var bytes = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{userPoolId}\n{username.ToLowerInvariant()}"));
        return Srp.PadHex(new BigInteger(bytes.AsSpan(0, 16), isUnsigned: true, isBigEndian: true));
    }

    /// <summary>A random verifier, for a B that looks like any other.</summary>
    public string Verifier() =>
        Srp.PadHex(new BigInteger(RandomNumberGenerator.GetBytes(384), isUnsigned: true, isBigEndian: true) % Srp.N);

    async Task<byte[]> SaltKey(CancellationToken ct)
    {
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SaltKeySetting, ct);
        if (row is not null) return Convert.FromBase64String(row.Value);
        var created = new SettingRow { Key = SaltKeySetting, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        db.Settings.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
            return Convert.FromBase64String(created.Value);
        }
        catch (DbUpdateException)
        {
            // Another instance made it first: use theirs.
            db.Entry(created).State = EntityState.Detached;
            row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == SaltKeySetting, ct);
            return Convert.FromBase64String(row.Value);
        }
    }
}
