using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Sync.Push;

namespace Portal.Server.Sync.Operations;

/// <summary>Push sync's reads of the pool's configuration and an identity's devices.</summary>
static class PushSyncRules
{
    /// <summary>The pool's platform application for an SNS platform: the ARN of its PushSync whose platform segment
    /// (<c>arn:aws:sns:{region}:{account}:app/{PLATFORM}/{name}</c>) is the device's, with the role SNS is called as; none
    /// is InvalidConfigurationException.</summary>
    public static async Task<(string Application, string? RoleArn)> ApplicationArn(SyncStore store, string poolId, string platform, CancellationToken ct)
    {
        var row = await store.Pools.AsNoTracking().FirstOrDefaultAsync(p => p.IdentityPoolId == poolId, ct);
        var push = SyncPools.Read<PushSync>(row?.PushSync);
        if (push?.ApplicationArns is not { Count: > 0 } arns)
            throw new InvalidConfigurationException($"Push sync is not configured for identity pool {poolId}: set its PushSync (ApplicationArns and RoleArn) first.");
        return (arns.FirstOrDefault(a => a.Split(':') is { Length: 6 } p && p[5].Split('/') is { Length: 3 } app && app[0] == "app" && app[1] == platform)
                ?? throw new InvalidConfigurationException($"Identity pool {poolId} has no SNS platform application for {platform} in its PushSync configuration."),
            push.RoleArn);
    }

    /// <summary>The identity's device, or ResourceNotFoundException.</summary>
    public static async Task<SyncDeviceRow> Device(SyncStore store, string poolId, string identityId, string deviceId, CancellationToken ct) =>
        await store.Db.Set<SyncDeviceRow>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.DeviceId == deviceId && d.IdentityId == identityId && d.IdentityPoolId == poolId, ct)
        ?? throw new ResourceNotFoundException($"Device '{deviceId}' not found.");

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>
/// Registers a device of an identity for push sync and answers its DeviceId. The platforms are Cognito's (APNS,
/// APNS_SANDBOX, GCM, ADM), whose devices get an SNS platform endpoint under the pool's application for the platform (as
/// Cognito makes one), and Portal's WEB_PUSH, whose token is a browser's PushSubscription JSON. The same token registered
/// again answers the same DeviceId.
/// </summary>
sealed class RegisterDevice(SyncStore store, SnsClient sns, TimeProvider clock) : IOperation<RegisterDeviceRequest, RegisterDeviceResponse>
{
    public async Task<RegisterDeviceResponse> Handle(RegisterDeviceRequest request, CancellationToken ct)
    {
        var (poolId, identityId, platform, token) = (request.IdentityPoolId!, request.IdentityId!, request.Platform!, request.Token!);
        if (!PushPlatforms.All.Contains(platform, StringComparer.Ordinal))
            throw new InvalidParameterException(
                $"1 validation error detected: Value '{platform}' at 'platform' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", PushPlatforms.All)}]", "Platform");
        await store.RequirePool(poolId, ct);
        await store.RequireIdentity(poolId, identityId, ct);
        var hash = PushSyncRules.Hash(token);
        var devices = store.Db.Set<SyncDeviceRow>();
        if (await devices.AsNoTracking().Where(d => d.IdentityId == identityId && d.Platform == platform && d.TokenHash == hash)
                .Select(d => d.DeviceId).FirstOrDefaultAsync(ct) is { } known)
            return new RegisterDeviceResponse { DeviceId = known };

        string? endpointArn = null;
        if (platform == PushPlatforms.WebPush)
        {
            if (PushNotification.ReadSubscription(token) is null)
                throw new InvalidParameterException("A WEB_PUSH token is a PushSubscription's JSON: {\"endpoint\": \"https://…\", \"keys\": {\"p256dh\": …, \"auth\": …}}.", "Token");
        }
        else
        {
            var (application, role) = await PushSyncRules.ApplicationArn(store, poolId, platform, ct);
            try
            {
                endpointArn = await sns.CreatePlatformEndpoint(application, token, role, ct);
            }
            catch (SnsException e)
            {
                throw new InvalidConfigurationException($"SNS refused the device's platform endpoint under {application}: {e.Message}");
            }
            catch (RoleNotAssumedException e)
            {
                throw new InvalidConfigurationException($"The device's platform endpoint under {application} was not made. {e.Message}");
            }
        }

        var row = new SyncDeviceRow
        {
            DeviceId = Guid.NewGuid().ToString(), IdentityPoolId = poolId, IdentityId = identityId, Platform = platform, Token = token,
            TokenHash = hash, EndpointArn = endpointArn, CreatedAt = clock.GetUtcNow(),
        };
        devices.Add(row);
        try
        {
            await store.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same token registered by a concurrent call (the unique index decided): the SDK's retry finds that device.
            throw new TooManyRequestsException("The device was being registered by another request at the same time; try again.");
        }
        return new RegisterDeviceResponse { DeviceId = row.DeviceId };
    }
}

/// <summary>Subscribes one of the identity's devices to a dataset's changes (again: nothing changes). An SNS device needs
/// the pool's push configuration for its platform still in place.</summary>
sealed class SubscribeToDataset(SyncStore store, TimeProvider clock) : IOperation<SubscribeToDatasetRequest, SubscribeToDatasetResponse>
{
    public async Task<SubscribeToDatasetResponse> Handle(SubscribeToDatasetRequest request, CancellationToken ct)
    {
        var (poolId, identityId, name, deviceId) = (request.IdentityPoolId!, request.IdentityId!, request.DatasetName!, request.DeviceId!);
        await store.RequirePool(poolId, ct);
        var device = await PushSyncRules.Device(store, poolId, identityId, deviceId, ct);
        if (device.Platform != PushPlatforms.WebPush) await PushSyncRules.ApplicationArn(store, poolId, device.Platform, ct);
        var subscriptions = store.Db.Set<SyncSubscriptionRow>();
        if (await subscriptions.AnyAsync(s => s.IdentityId == identityId && s.DatasetName == name && s.DeviceId == deviceId, ct)) return new();
        subscriptions.Add(new SyncSubscriptionRow { IdentityId = identityId, DatasetName = name, DeviceId = deviceId, CreatedAt = clock.GetUtcNow() });
        try
        {
            await store.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new TooManyRequestsException("The device was being subscribed by another request at the same time; try again.");
        }
        return new();
    }
}

/// <summary>Ends a device's subscription to a dataset (none: nothing changes).</summary>
sealed class UnsubscribeFromDataset(SyncStore store) : IOperation<UnsubscribeFromDatasetRequest, UnsubscribeFromDatasetResponse>
{
    public async Task<UnsubscribeFromDatasetResponse> Handle(UnsubscribeFromDatasetRequest request, CancellationToken ct)
    {
        var (poolId, identityId, name, deviceId) = (request.IdentityPoolId!, request.IdentityId!, request.DatasetName!, request.DeviceId!);
        await store.RequirePool(poolId, ct);
        await PushSyncRules.Device(store, poolId, identityId, deviceId, ct);
        await store.Db.Set<SyncSubscriptionRow>().Where(s => s.IdentityId == identityId && s.DatasetName == name && s.DeviceId == deviceId).ExecuteDeleteAsync(ct);
        return new();
    }
}

sealed class GetPushSyncStatus(SyncStore store, VapidKeys vapid) : IOperation<GetPushSyncStatusRequest, GetPushSyncStatusResponse>
{
    public async Task<GetPushSyncStatusResponse> Handle(GetPushSyncStatusRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        var row = await SyncPools.Find(store, poolId, ct);
        var devices = store.Db.Set<SyncDeviceRow>().AsNoTracking().Where(d => d.IdentityPoolId == poolId);
        var failing = await devices.Where(d => d.LastErrorAt != null && (d.LastDeliveredAt == null || d.LastDeliveredAt < d.LastErrorAt))
            .OrderByDescending(d => d.LastErrorAt).Take(20).ToListAsync(ct);
        return new GetPushSyncStatusResponse
        {
            PushSync = SyncPools.Read<PushSync>(row?.PushSync),
            VapidPublicKey = (await vapid.Get(ct)).Public,
            Devices = await devices.CountAsync(ct),
            Subscriptions = await store.Db.Set<SyncSubscriptionRow>().CountAsync(s => devices.Any(d => d.DeviceId == s.DeviceId), ct),
            Pending = await store.Db.Set<SyncPushOutboxRow>().CountAsync(o => o.IdentityPoolId == poolId, ct),
            FailingDevices = failing.Select(d => new PushDeviceStatus
            {
                DeviceId = d.DeviceId, IdentityId = d.IdentityId, Platform = d.Platform, LastError = d.LastError, LastErrorDate = d.LastErrorAt,
            }).ToList(),
        };
    }
}

/// <summary>Queues a notification of the dataset <c>portal-test</c> (sync count 0) to every device of the pool.</summary>
sealed class SendTestPushNotification(SyncStore store, PushOutbox outbox) : IOperation<SendTestPushNotificationRequest, SendTestPushNotificationResponse>
{
    public const string Dataset = "portal-test";

    public async Task<SendTestPushNotificationResponse> Handle(SendTestPushNotificationRequest request, CancellationToken ct)
    {
        var poolId = request.IdentityPoolId!;
        await store.RequirePool(poolId, ct);
        var devices = await store.Db.Set<SyncDeviceRow>().AsNoTracking().Where(d => d.IdentityPoolId == poolId)
            .Select(d => new { d.DeviceId, d.IdentityId }).ToListAsync(ct);
        var queued = await outbox.Queue(devices.Select(d => (d.DeviceId, poolId, d.IdentityId)), Dataset, 0, ct);
        return new SendTestPushNotificationResponse { Queued = queued };
    }
}
