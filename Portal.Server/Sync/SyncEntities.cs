using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync;

/// <summary>
/// A Cognito Sync dataset of an identity. <see cref="SyncCount"/> is the dataset's version: every committed change
/// (UpdateRecords, DeleteDataset, a merge) raises it by one through a conditional update on its old value, so two writers
/// can never both win. A deleted dataset keeps its row (DeletedAt set, no records) so its count goes on from where it was
/// if it is made again, and devices that synced it learn that it was deleted. A dataset merged from another identity is
/// named <c>{name}.{that identity's id}</c> and remembers its <see cref="MergedFrom"/> name (ListRecords' MergedDatasetNames).
/// </summary>
public sealed class SyncDatasetRow
{
    public required string IdentityId { get; set; }
    public required string Name { get; set; }
    public required string IdentityPoolId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public string? LastModifiedBy { get; set; }
    public long SyncCount { get; set; }
    public long DataStorage { get; set; }               // bytes of the live records' keys and values (UTF-8)
    public long NumRecords { get; set; }                // live records (removed ones are kept as tombstones, not counted)
    public long SyncSessions { get; set; }              // UpdateRecords calls committed on it (the pool's SyncSessionsCount)
    public string? MergedFrom { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>A record of a dataset. <see cref="SyncCount"/> is the dataset's count when the record last changed, so
/// ListRecords after a LastSyncCount is an index range. A removed record stays as a tombstone (Value null) so devices
/// that sync later learn of the removal.</summary>
public sealed class SyncRecordRow
{
    public required string IdentityId { get; set; }
    public required string DatasetName { get; set; }
    public required string Key { get; set; }
    public string? Value { get; set; }
    public long SyncCount { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public string? LastModifiedBy { get; set; }
    public DateTimeOffset? DeviceLastModifiedAt { get; set; }
}

/// <summary>A pool's Cognito Sync configuration as SetIdentityPoolConfiguration and SetCognitoEvents store it (JSON,
/// returned as given). Delivery (push sync, Cognito Streams, SyncTrigger) reads it once it exists.</summary>
public sealed class SyncPoolRow
{
    public required string IdentityPoolId { get; set; }
    public string? PushSync { get; set; }               // JSON of PushSync
    public string? CognitoStreams { get; set; }         // JSON of CognitoStreams
    public string Events { get; set; } = "{}";          // JSON: event type → function
    public DateTimeOffset LastModifiedAt { get; set; }
    public long Version { get; set; }
}

public static class SyncModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SyncDatasetRow>(e =>
        {
            e.ToTable("SyncDatasets");
            e.HasKey(x => new { x.IdentityId, x.Name });
            e.Property(x => x.IdentityId).HasMaxLength(55);
            e.Property(x => x.Name).HasMaxLength(128);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.MergedFrom).HasMaxLength(128);
            e.Property(x => x.LastModifiedBy).HasMaxLength(128);
            e.HasIndex(x => x.IdentityPoolId);
            e.HasOne<IdentityRow>().WithMany().HasForeignKey(x => x.IdentityId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SyncRecordRow>(e =>
        {
            e.ToTable("SyncRecords");
            e.HasKey(x => new { x.IdentityId, x.DatasetName, x.Key });
            e.Property(x => x.IdentityId).HasMaxLength(55);
            e.Property(x => x.DatasetName).HasMaxLength(128);
            e.Property(x => x.Key).HasMaxLength(1024);
            e.Property(x => x.LastModifiedBy).HasMaxLength(128);
            e.HasIndex(x => new { x.IdentityId, x.DatasetName, x.SyncCount });
            e.HasOne<SyncDatasetRow>().WithMany().HasForeignKey(x => new { x.IdentityId, x.DatasetName }).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SyncPoolRow>(e =>
        {
            e.ToTable("SyncPools");
            e.HasKey(x => x.IdentityPoolId);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<IdentityPoolRow>().WithMany().HasForeignKey(x => x.IdentityPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        Push.PushModel.Configure(b);
        Streams.StreamModel.Configure(b);
        SyncUsage.Configure(b);
    }
}
