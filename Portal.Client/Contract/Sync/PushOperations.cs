// Cognito Sync push sync: RegisterDevice, SubscribeToDataset, UnsubscribeFromDataset as the cognito-sync model shapes them,
// and two Portal-only extensions for the portal's push card (GetPushSyncStatus, SendTestPushNotification).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sync;

/// <summary>The platforms of RegisterDevice: Cognito's four (SNS platform applications) and Portal's <c>WEB_PUSH</c>
/// extension, whose token is a browser's PushSubscription JSON (<c>{"endpoint": …, "keys": {"p256dh": …, "auth": …}}</c>).</summary>
public static class PushPlatforms
{
    public const string WebPush = "WEB_PUSH";
    public static readonly string[] Sns = ["APNS", "APNS_SANDBOX", "GCM", "ADM"];
    public static readonly string[] All = [.. Sns, WebPush];
}

[Service(SyncService.Prefix)]
public sealed record RegisterDeviceRequest : ICognitoRequest<RegisterDeviceResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required]
    public string? Platform { get; init; }
    [Required, StringLength(8192, MinimumLength = 1)]
    public string? Token { get; init; }
}

public sealed record RegisterDeviceResponse
{
    public string? DeviceId { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record SubscribeToDatasetRequest : ICognitoRequest<SubscribeToDatasetResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required, StringLength(128, MinimumLength = 1), RegularExpression(SyncService.DatasetNamePattern)]
    public string? DatasetName { get; init; }
    [Required, StringLength(256, MinimumLength = 1)]
    public string? DeviceId { get; init; }
}

public sealed record SubscribeToDatasetResponse;

[Service(SyncService.Prefix)]
public sealed record UnsubscribeFromDatasetRequest : ICognitoRequest<UnsubscribeFromDatasetResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required, StringLength(128, MinimumLength = 1), RegularExpression(SyncService.DatasetNamePattern)]
    public string? DatasetName { get; init; }
    [Required, StringLength(256, MinimumLength = 1)]
    public string? DeviceId { get; init; }
}

public sealed record UnsubscribeFromDatasetResponse;

/// <summary>Portal-only extension (not an AWS operation): an identity pool's push sync as the portal shows it: the
/// deployment's VAPID public key (what a browser subscribes with), the pool's devices and subscriptions, and the devices
/// whose last delivery failed. X-Amz-Target: PortalAdmin.GetPushSyncStatus.</summary>
[Service(PortalServices.Admin)]
public sealed record GetPushSyncStatusRequest : ICognitoRequest<GetPushSyncStatusResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record GetPushSyncStatusResponse
{
    public PushSync? PushSync { get; init; }
    /// <summary>The VAPID public key (uncompressed P-256 point, base64url), the <c>applicationServerKey</c> of
    /// <c>PushManager.subscribe</c>.</summary>
    public string? VapidPublicKey { get; init; }
    public int? Devices { get; init; }
    public int? Subscriptions { get; init; }
    /// <summary>Notifications waiting for delivery (new or to be retried).</summary>
    public int? Pending { get; init; }
    public List<PushDeviceStatus>? FailingDevices { get; init; }
}

public sealed record PushDeviceStatus
{
    public string? DeviceId { get; init; }
    public string? IdentityId { get; init; }
    public string? Platform { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorDate { get; init; }
}

/// <summary>Portal-only extension (not an AWS operation): queues a test notification (dataset name <c>portal-test</c>)
/// to every device of the pool registered for push sync, delivered as a change would be.
/// X-Amz-Target: PortalAdmin.SendTestPushNotification.</summary>
[Service(PortalServices.Admin)]
public sealed record SendTestPushNotificationRequest : ICognitoRequest<SendTestPushNotificationResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record SendTestPushNotificationResponse
{
    public int? Queued { get; init; }
}
