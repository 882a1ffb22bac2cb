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
            e.HasOne<IdentityPoolRow>().WithMany().HasForeignKey(x => x.IdentityPoolId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
