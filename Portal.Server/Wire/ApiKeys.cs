using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Wire;

public sealed class ApiOptions
{
    /// <summary>Access keys allowed to sign IAM-authorised operations, in addition to the generated one.</summary>
    public List<AccessKey> AccessKeys { get; set; } = [];
    /// <summary>Development switch: when false, IAM-authorised operations accept unsigned requests. Default: true.</summary>
    public bool RequireSignature { get; set; } = true;
}

public sealed class AccessKey
{
    public string AccessKeyId { get; set; } = "";
    public string SecretAccessKey { get; set; } = "";
}

/// <summary>The access keys that may sign admin calls: configured ones, plus one generated on first start
/// (kept in the database so every instance knows it, its secret encrypted with Data Protection: SigV4 needs it back).</summary>
public sealed class ApiKeys(Microsoft.Extensions.Options.IOptions<ApiOptions> options, IServiceScopeFactory scopes, IDataProtectionProvider dataProtection)
{
    public const string GeneratedKeySetting = "api.generated-access-key";
    // "{id}:protected:{secret protected}"; earlier versions stored "{id}:{secret}" (a generated secret has no colon).
    const string Protected = "protected:";
    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.ApiKeys.GeneratedSecret");

    public async Task<string?> SecretOf(string accessKeyId, CancellationToken ct)
    {
        var configured = options.Value.AccessKeys.FirstOrDefault(k => k.AccessKeyId == accessKeyId);
        if (configured is not null) return configured.SecretAccessKey;
        var generated = await Generated(ct);
        return generated?.AccessKeyId == accessKeyId ? generated.SecretAccessKey : null;
    }

    public async Task<AccessKey?> Generated(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == GeneratedKeySetting, ct);
        if (row is null) return null;
        var parts = row.Value.Split(':', 2);
        var secret = parts[1].StartsWith(Protected, StringComparison.Ordinal) ? protector.Unprotect(parts[1][Protected.Length..]) : parts[1];
        return new AccessKey { AccessKeyId = parts[0], SecretAccessKey = secret };
    }

    /// <summary>Creates the generated key if it does not exist yet; returns it and whether it was new.</summary>
    public async Task<(AccessKey Key, bool Created)> EnsureGenerated(CancellationToken ct)
    {
        var existing = await Generated(ct);
        if (existing is not null)
        {
            await ProtectStored(existing, ct);
            return (existing, false);
        }
        const string upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        const string any = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
        var key = new AccessKey
        {
            AccessKeyId = "AKIA" + RandomNumberGenerator.GetString(upper, 16),
            SecretAccessKey = RandomNumberGenerator.GetString(any, 40),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.Settings.Add(new SettingRow { Key = GeneratedKeySetting, Value = Stored(key) });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance stored its key first (the setting's key is the primary key): that one is the key.
            return (await Generated(ct) ?? throw new InvalidOperationException("The generated API key could not be stored."), false);
        }
        return (key, true);
    }

    string Stored(AccessKey key) => $"{key.AccessKeyId}:{Protected}{protector.Protect(key.SecretAccessKey)}";

    /// <summary>A secret stored in plain text by an earlier version is encrypted in place.</summary>
    async Task ProtectStored(AccessKey key, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var (plain, stored) = ($"{key.AccessKeyId}:{key.SecretAccessKey}", Stored(key));
        await db.Settings.Where(s => s.Key == GeneratedKeySetting && s.Value == plain)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, stored), ct);
    }
}
