using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Streams;

/// <summary>A Cognito Streams record waiting for Kinesis: written in the same transaction as the change it describes, deleted
/// only once Kinesis acknowledged it (at least once, across outages and restarts). <see cref="Bulk"/> marks the records of
/// a bulk publish, which decide its status.</summary>
public sealed class SyncStreamOutboxRow
{
    public long Id { get; set; }
    public required string IdentityPoolId { get; set; }
    public required string StreamName { get; set; }
    public required string PartitionKey { get; set; }   // the identity: one identity's changes stay in order on one shard
    public required string Payload { get; set; }        // the record as Cognito Streams documents it (JSON)
    public bool Bulk { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A pool's delivery state: the last delivery and error (the portal shows them) and its bulk publish.</summary>
public sealed class SyncStreamStatusRow
{
    public required string IdentityPoolId { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    public string BulkPublishStatus { get; set; } = BulkStatus.NotStarted;
    public DateTimeOffset? BulkPublishStartTime { get; set; }
    public DateTimeOffset? BulkPublishCompleteTime { get; set; }
    public string? BulkPublishFailure { get; set; }
    /// <summary>The last dataset (identity id, name) whose record a running bulk publish has put into the outbox: the
    /// publisher goes on after it in batches, so a restart resumes where it stopped and no dataset is published twice.</summary>
    public string? BulkPublishCursorIdentityId { get; set; }
    public string? BulkPublishCursorDataset { get; set; }
    /// <summary>Every dataset of the running bulk publish is in the outbox (or delivered): it succeeds once none is left.</summary>
    public bool BulkPublishEnqueued { get; set; }
}

/// <summary>The records of a change too large for one Kinesis record (1 MB): the stream's record carries payloadType
/// <c>S3Url</c> and a link to <c>/sync/streams/records/{Token}</c>, which answers <see cref="Records"/> until
/// <see cref="ExpiresAt"/>. The token is 256 random bits: knowing it is the permission, as with a presigned S3 URL.</summary>
public sealed class SyncStreamLinkRow
{
    public required string Token { get; set; }
    public required string IdentityPoolId { get; set; }
    public required string Records { get; set; }        // the kinesisSyncRecords array (JSON)
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public static class BulkStatus
{
    public const string NotStarted = "NOT_STARTED";
    public const string InProgress = "IN_PROGRESS";
    public const string Failed = "FAILED";
    public const string Succeeded = "SUCCEEDED";
}

public static class StreamModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SyncStreamOutboxRow>(e =>
        {
            e.ToTable("SyncStreamOutbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.StreamName).HasMaxLength(128);
            e.Property(x => x.PartitionKey).HasMaxLength(256);
            e.HasIndex(x => x.NextAttemptAt);
            e.HasIndex(x => new { x.IdentityPoolId, x.Bulk });
        });
        b.Entity<SyncStreamStatusRow>(e =>
        {
            e.ToTable("SyncStreamStatus");
            e.HasKey(x => x.IdentityPoolId);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.BulkPublishStatus).HasMaxLength(16);
            e.Property(x => x.BulkPublishCursorIdentityId).HasMaxLength(55);
            e.Property(x => x.BulkPublishCursorDataset).HasMaxLength(128);
            e.HasOne<IdentityPoolRow>().WithMany().HasForeignKey(x => x.IdentityPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SyncStreamLinkRow>(e =>
        {
            e.ToTable("SyncStreamLinks");
            e.HasKey(x => x.Token);
            e.Property(x => x.Token).HasMaxLength(64);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.HasIndex(x => x.ExpiresAt);
            e.HasOne<IdentityPoolRow>().WithMany().HasForeignKey(x => x.IdentityPoolId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
