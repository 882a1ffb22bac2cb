using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Push;

/// <summary>Queues notifications in the operation's own transaction, and wakes the delivery once it is committed.</summary>
public sealed class PushOutbox(PortalDb db, PushDelivery delivery, TimeProvider clock)
{
    /// <summary>A dataset changed: every device subscribed to it but the one that made the change is to hear of it.</summary>
    public async Task Changed(string identityPoolId, string identityId, string datasetName, long syncCount, string? byDevice, CancellationToken ct)
    {
        // A device id is never empty: without a device, every subscribed device hears of the change.
        var devices = await SyncQueries.ToList(SyncQueries.For(db).SubscribersBut(db, identityId, datasetName, byDevice ?? ""), ct);
        await Queue(devices.Select(d => (d, identityPoolId, identityId)), datasetName, syncCount, ct);
    }

    /// <summary>Queues one notification per device; saved with the operation's work.</summary>
    public async Task<int> Queue(IEnumerable<(string DeviceId, string IdentityPoolId, string IdentityId)> devices, string datasetName, long syncCount, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var n = 0;
        foreach (var (device, pool, identity) in devices)
        {
            db.Add(new SyncPushOutboxRow
            {
                DeviceId = device, IdentityPoolId = pool, IdentityId = identity, DatasetName = datasetName, SyncCount = syncCount,
                CreatedAt = now, NextAttemptAt = now,
            });
            n++;
        }
        if (n == 0) return 0;
        await db.SaveChangesAsync(ct);
        await db.Work.AfterCommit(_ =>
        {
            delivery.Wake();
            return Task.CompletedTask;
        }, ct);
        return n;
    }
}
