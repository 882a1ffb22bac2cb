using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.LogDelivery;

/// <summary>A log record waiting for one destination: written in the transaction of the operation that produced it (or,
/// for a message that failed after the commit, with the message's delivery status), removed once delivered or once older
/// than the retention (then counted as dropped on its destination). An instance claims rows by setting
/// <see cref="ClaimToken"/> with a conditional update on <see cref="NextAttemptAt"/>, so two instances never send one row.</summary>
public sealed class LogOutboxRow
{
    public long Id { get; set; }
    public required string UserPoolId { get; set; }
    public required string EventSource { get; set; }       // userNotification | userAuthEvents
    public required string Kind { get; set; }              // CloudWatchLogs | S3 | Firehose
    public required string Destination { get; set; }       // the destination's ARN
    public required string Record { get; set; }            // the JSON record as delivered
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? ClaimToken { get; set; }
}

/// <summary>A configured destination of a pool and how delivery to it goes: written by SetLogDeliveryConfiguration, moved
/// by the delivery worker (counters by conditional increments).</summary>
public sealed class LogDestinationRow
{
    public required string UserPoolId { get; set; }
    public required string EventSource { get; set; }
    public required string Kind { get; set; }
    public required string Destination { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long Delivered { get; set; }
    public long Dropped { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
}

public static class LogDeliveryModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<LogOutboxRow>(e =>
        {
            e.ToTable("LogOutbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.UserPoolId).HasMaxLength(55);
            e.Property(x => x.EventSource).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Destination).HasMaxLength(2048);
            e.Property(x => x.ClaimToken).HasMaxLength(64);
            e.HasIndex(x => x.NextAttemptAt);
            e.HasIndex(x => new { x.UserPoolId, x.EventSource });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<LogDestinationRow>(e =>
        {
            e.ToTable("LogDestinations");
            e.HasKey(x => new { x.UserPoolId, x.EventSource });
            e.Property(x => x.UserPoolId).HasMaxLength(55);
            e.Property(x => x.EventSource).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Destination).HasMaxLength(2048);
            e.Property(x => x.LastError).HasMaxLength(1024);
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
