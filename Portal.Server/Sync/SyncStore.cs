using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Storage;

namespace Portal.Server.Sync;

/// <summary>Cognito Sync's limits, as AWS documents them.</summary>
public static class SyncLimits
{
    public const int DatasetsPerIdentity = 20;
    public const long BytesPerDataset = 1024 * 1024;
    public const int RecordsPerDataset = 1024;
    public const int MaxRecordsPage = 1024;
    public const int MaxDatasetsPage = 64;
    /// <summary>How long a SyncSessionToken of ListRecords may be used for the UpdateRecords that follows.</summary>
    public static readonly TimeSpan SyncSessionLife = TimeSpan.FromHours(1);
}

/// <summary>Datasets and records of identities: reads, the shapes they answer with, and the sync session tokens.</summary>
public sealed class SyncStore(PortalDb db, IDataProtectionProvider protection, TimeProvider clock)
{
    readonly IDataProtector tokens = protection.CreateProtector("Portal.Sync.SyncSessionToken");

    public DbSet<SyncDatasetRow> Datasets => db.Set<SyncDatasetRow>();
    public DbSet<SyncRecordRow> Records => db.Set<SyncRecordRow>();
    public DbSet<SyncPoolRow> Pools => db.Set<SyncPoolRow>();
    public PortalDb Db => db;

    /// <summary>The dataset's row, deleted or not (null when it never existed).</summary>
    public Task<SyncDatasetRow?> Find(string identityPoolId, string identityId, string name, CancellationToken ct) =>
        SyncQueries.For(db).Dataset(db, identityId, name, identityPoolId, ct);

    public async Task<SyncDatasetRow> Live(string identityPoolId, string identityId, string name, CancellationToken ct) =>
        await Find(identityPoolId, identityId, name, ct) is { DeletedAt: null } row ? row : throw NotFound(name);

    public static ResourceNotFoundException NotFound(string name) => new($"Dataset '{name}' not found.");

    public static Dataset Shape(SyncDatasetRow row) => new()
    {
        IdentityId = row.IdentityId,
        DatasetName = row.Name,
        CreationDate = row.CreatedAt,
        LastModifiedDate = row.LastModifiedAt,
        LastModifiedBy = row.LastModifiedBy,
        DataStorage = row.DataStorage,
        NumRecords = row.NumRecords,
    };

    public static Record Shape(SyncRecordRow row) => new()
    {
        Key = row.Key,
        Value = row.Value,
        SyncCount = row.SyncCount,
        LastModifiedDate = row.LastModifiedAt,
        LastModifiedBy = row.LastModifiedBy,
        DeviceLastModifiedDate = row.DeviceLastModifiedAt,
    };

    /// <summary>The bytes a record takes against the dataset's 1 MB: its key and value in UTF-8 (a removed record none).</summary>
    public static long Size(string key, string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);

    /// <summary>The identity must be one of the pool's: datasets are made only for identities that exist.</summary>
    public async Task RequireIdentity(string identityPoolId, string identityId, CancellationToken ct)
    {
        if (!await db.Set<IdentityRow>().AnyAsync(i => i.Id == identityId && i.IdentityPoolId == identityPoolId, ct))
            throw new ResourceNotFoundException($"Identity '{identityId}' not found.");
    }

    /// <summary>Serialises the making of datasets of one identity, so the 20-dataset limit holds when devices create
    /// datasets at once: a no-op update of the identity's row is the operation's first write, so it begins the transaction
    /// and holds the row's lock (PostgreSQL) or the one writer's lock (SQLite) until the commit; the live datasets counted
    /// after it include every other device's committed ones.</summary>
    public Task LockIdentity(string identityId, CancellationToken ct) =>
        db.Set<IdentityRow>().Where(i => i.Id == identityId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Disabled, i => i.Disabled), ct);

    public async Task RequirePool(string identityPoolId, CancellationToken ct)
    {
        if (!await db.Set<IdentityPoolRow>().AnyAsync(p => p.Id == identityPoolId, ct))
            throw new ResourceNotFoundException($"IdentityPool '{identityPoolId}' not found.");
    }

    /// <summary>A sync session: ListRecords opens it, UpdateRecords of the same identity and dataset uses it within an hour.</summary>
    public string NewSyncSession(string identityId, string datasetName)
    {
        var payload = string.Join('\n', identityId, datasetName, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        return tokens.Protect(payload);
    }

    public void CheckSyncSession(string? token, string identityId, string datasetName)
    {
        string[] parts;
        try
        {
            parts = tokens.Unprotect(token ?? "").Split('\n');
        }
        catch (CryptographicException)
        {
            throw new InvalidParameterException("Invalid SyncSessionToken.", "SyncSessionToken");
        }
        if (parts.Length != 4 || parts[0] != identityId || parts[1] != datasetName
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
            throw new InvalidParameterException("Invalid SyncSessionToken.", "SyncSessionToken");
        if (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued) > SyncLimits.SyncSessionLife)
            throw new InvalidParameterException("The SyncSessionToken has expired: list the records again.", "SyncSessionToken");
    }

    /// <summary>An opaque page position (base64url of its parts); anything else given back is InvalidParameterException.</summary>
    public static string PageToken(params string[] parts) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', parts))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string[] ReadPageToken(string token, int parts)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var read = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('\n');
            if (read.Length == parts) return read;
        }
        catch (FormatException)
        {
        }
        throw new InvalidParameterException("Invalid NextToken.", "NextToken");
    }
}
