using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Push;

/// <summary>
/// A device an identity registered for push sync (RegisterDevice). One row per identity, platform and token: registering
/// the same token again answers the same DeviceId (the unique index on the token's hash decides, not a read). For the SNS
/// platforms <see cref="EndpointArn"/> is the platform endpoint Portal made under the pool's application; for WEB_PUSH the
/// token is the browser's PushSubscription JSON. The last delivery's outcome is kept for the portal.
/// </summary>
public sealed class SyncDeviceRow
{
    public required string DeviceId { get; set; }
    public required string IdentityPoolId { get; set; }
    public required string IdentityId { get; set; }
    public required string Platform { get; set; }
    public required string Token { get; set; }
    public required string TokenHash { get; set; }      // SHA-256 hex of the token: the unique key (tokens can be long)
    public string? EndpointArn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
}

/// <summary>A device's subscription to one of its identity's datasets (SubscribeToDataset); the key makes it unique.</summary>
public sealed class SyncSubscriptionRow
{
    public required string IdentityId { get; set; }
    public required string DatasetName { get; set; }
    public required string DeviceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A notification waiting for delivery: written in the transaction that committed the change, so a change is
/// never committed without its notifications (nor the reverse); removed once delivered or given up on. An instance claims
/// a row by moving <see cref="NextAttemptAt"/> on with a conditional update, so two instances never send it both.</summary>
public sealed class SyncPushOutboxRow
{
    public long Id { get; set; }
    public required string DeviceId { get; set; }
    public required string IdentityPoolId { get; set; }
    public required string IdentityId { get; set; }
    public required string DatasetName { get; set; }
    public long SyncCount { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
}

public static class PushModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SyncDeviceRow>(e =>
        {
            e.ToTable("SyncDevices");
            e.HasKey(x => x.DeviceId);
            e.Property(x => x.DeviceId).HasMaxLength(64);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.IdentityId).HasMaxLength(55);
            e.Property(x => x.Platform).HasMaxLength(16);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.Property(x => x.EndpointArn).HasMaxLength(1024);
            e.Property(x => x.LastError).HasMaxLength(1024);
            e.HasIndex(x => new { x.IdentityId, x.Platform, x.TokenHash }).IsUnique();
            e.HasIndex(x => x.IdentityPoolId);
            e.HasOne<IdentityRow>().WithMany().HasForeignKey(x => x.IdentityId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SyncSubscriptionRow>(e =>
        {
            e.ToTable("SyncSubscriptions");
            e.HasKey(x => new { x.IdentityId, x.DatasetName, x.DeviceId });
            e.Property(x => x.IdentityId).HasMaxLength(55);
            e.Property(x => x.DatasetName).HasMaxLength(128);
            e.Property(x => x.DeviceId).HasMaxLength(64);
            e.HasIndex(x => x.DeviceId);
            e.HasOne<SyncDeviceRow>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SyncPushOutboxRow>(e =>
        {
            e.ToTable("SyncPushOutbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.DeviceId).HasMaxLength(64);
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.IdentityId).HasMaxLength(55);
            e.Property(x => x.DatasetName).HasMaxLength(128);
            e.HasIndex(x => x.NextAttemptAt);
            e.HasOne<SyncDeviceRow>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
