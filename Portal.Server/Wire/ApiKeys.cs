using System.Security.Cryptography;
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
/// (kept in the database so every instance knows it).</summary>
public sealed class ApiKeys(Microsoft.Extensions.Options.IOptions<ApiOptions> options, IServiceScopeFactory scopes)
{
    public const string GeneratedKeySetting = "api.generated-access-key";

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
        return new AccessKey { AccessKeyId = parts[0], SecretAccessKey = parts[1] };
    }

    /// <summary>Creates the generated key if it does not exist yet; returns it and whether it was new.</summary>
    public async Task<(AccessKey Key, bool Created)> EnsureGenerated(CancellationToken ct)
    {
        var existing = await Generated(ct);
        if (existing is not null) return (existing, false);
        const string upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        const string any = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
        var key = new AccessKey
        {
            AccessKeyId = "AKIA" + RandomNumberGenerator.GetString(upper, 16),
            SecretAccessKey = RandomNumberGenerator.GetString(any, 40),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.Settings.Add(new SettingRow { Key = GeneratedKeySetting, Value = $"{key.AccessKeyId}:{key.SecretAccessKey}" });
        await db.SaveChangesAsync(ct);
        return (key, true);
    }
}
