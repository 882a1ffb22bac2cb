using System.Net;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Push;

/// <summary>
/// Delivers the push outbox: woken when an operation that queued notifications commits (so a device hears of a change
/// well within a second), and every <see cref="PollInterval"/> for retries and rows other instances queued. A row is
/// claimed with a conditional update of its next attempt time, so of several instances one sends it. A failure is kept on
/// the device (its last error, for the portal) and retried with a growing delay up to <see cref="PushOptions.MaxAttempts"/>;
/// a subscription the push service says is gone (404, 410) or an SNS endpoint that is disabled is not retried.
/// </summary>
public sealed class PushDelivery(IServiceScopeFactory scopes, IHttpMessageHandlerFactory handlers, VapidKeys vapid, SnsClient sns, IOptions<PushOptions> options,
    TimeProvider clock, ILogger<PushDelivery> log) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    /// <summary>How long a claimed row is left to the instance that claimed it before another may take it.</summary>
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    const int Batch = 50;

    readonly SemaphoreSlim wake = new(0, 1);

    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quiet = new QuietRounds(scopes, async (db, ct) => !await db.Set<SyncPushOutboxRow>().AnyAsync(ct));
        var woken = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // An empty outbox gains pushes only through a commit: until one happens, there is nothing to look at.
                if (!await quiet.Skip(woken, stoppingToken))
                {
                    while (await DeliverDue(stoppingToken) == Batch)
                    {
                    }
                    await quiet.Ended(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Push sync delivery failed; retrying");
            }
            try
            {
                woken = await wake.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is due now; answers how many rows it looked at.</summary>
    public async Task<int> DeliverDue(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var now = clock.GetUtcNow();
        var due = await db.Set<SyncPushOutboxRow>().AsNoTracking().Where(r => r.NextAttemptAt <= now).OrderBy(r => r.Id).Take(Batch).ToListAsync(ct);
        // SNS is called as the pool's PushSync.RoleArn, read once per round for the pools of the rows due.
        var poolIds = due.Select(r => r.IdentityPoolId).Distinct().ToList();
        var roles = (await db.Set<SyncPoolRow>().AsNoTracking().Where(p => poolIds.Contains(p.IdentityPoolId)).Select(p => new { p.IdentityPoolId, p.PushSync }).ToListAsync(ct))
            .ToDictionary(p => p.IdentityPoolId, p => Operations.SyncPools.Read<Portal.Client.Contract.Sync.PushSync>(p.PushSync)?.RoleArn, StringComparer.Ordinal);
        foreach (var row in due)
        {
            var claimed = await db.Set<SyncPushOutboxRow>().Where(r => r.Id == row.Id && r.NextAttemptAt == row.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, now + Lease).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
            if (claimed == 0) continue;
            var device = await db.Set<SyncDeviceRow>().AsNoTracking().FirstOrDefaultAsync(d => d.DeviceId == row.DeviceId, ct);
            if (device is null)
            {
                await db.Set<SyncPushOutboxRow>().Where(r => r.Id == row.Id).ExecuteDeleteAsync(ct);
                continue;
            }
            var (error, permanent) = await Send(device, row, roles.GetValueOrDefault(row.IdentityPoolId), ct);
            var at = clock.GetUtcNow();
            if (error is null)
            {
                await db.Set<SyncPushOutboxRow>().Where(r => r.Id == row.Id).ExecuteDeleteAsync(ct);
                await db.Set<SyncDeviceRow>().Where(d => d.DeviceId == device.DeviceId).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastDeliveredAt, at), ct);
                continue;
            }
            var attempts = row.Attempts + 1;
            var giveUp = permanent || attempts >= Math.Max(1, options.Value.MaxAttempts);
            var text = (giveUp ? $"Given up after {attempts} attempt(s): " : $"Attempt {attempts} failed: ") + error;
            if (text.Length > 1000) text = text[..1000];
            log.LogWarning("Push sync notification to device {DeviceId} ({Platform}) failed: {Error}", device.DeviceId, device.Platform, text);
            if (giveUp) await db.Set<SyncPushOutboxRow>().Where(r => r.Id == row.Id).ExecuteDeleteAsync(ct);
            else
            {
                var retryAt = at + TimeSpan.FromSeconds(Math.Pow(2, attempts));
                await db.Set<SyncPushOutboxRow>().Where(r => r.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, retryAt), ct);
            }
            await db.Set<SyncDeviceRow>().Where(d => d.DeviceId == device.DeviceId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastError, text).SetProperty(d => d.LastErrorAt, at), ct);
        }
        return due.Count;
    }

    async Task<(string? Error, bool Permanent)> Send(SyncDeviceRow device, SyncPushOutboxRow row, string? roleArn, CancellationToken ct)
    {
        var data = PushNotification.Data(row.IdentityPoolId, row.IdentityId, row.DatasetName, row.SyncCount);
        if (device.Platform == Portal.Client.Contract.Sync.PushPlatforms.WebPush)
        {
            if (PushNotification.ReadSubscription(device.Token) is not { } subscription) return ("The device's PushSubscription is not valid.", true);
            var (publicKey, privateKey) = await vapid.Get(ct);
            var target = new PushSubscription { Endpoint = subscription.Endpoint.ToString() };
            target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
            target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
            using var authentication = new VapidAuthentication(publicKey, privateKey) { Subject = options.Value.VapidSubject };
            using var audience = new VapidAudience(authentication) { InnerHandler = handlers.CreateHandler(SnsClient.HttpClientName) };
            // The factory's handler is not disposed with this client (its Dispose does nothing; the factory owns it).
            using var httpClient = new HttpClient(audience, disposeHandler: false);
            var client = new PushServiceClient(httpClient)
            {
                DefaultAuthentication = authentication, DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid, AutoRetryAfter = false,
            };
            try
            {
                await client.RequestPushMessageDeliveryAsync(target, new PushMessage(PushNotification.WebPush(data))
                {
                    Urgency = PushMessageUrgency.Normal, TimeToLive = 86_400,
                }, ct);
                return (null, false);
            }
            catch (PushServiceClientException e)
            {
                return ($"The push service answered HTTP {(int)e.StatusCode}: {e.Message}", e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone);
            }
            catch (HttpRequestException e)
            {
                return ($"The push service could not be reached: {Portal.Server.Outbound.OutboundAddresses.Reason(e)}", false);
            }
        }
        if (device.EndpointArn is null) return ("The device has no SNS platform endpoint.", true);
        try
        {
            await sns.Publish(device.EndpointArn, PushNotification.Sns(data), roleArn, ct);
            return (null, false);
        }
        catch (SnsException e)
        {
            return (e.Message, e.Permanent);
        }
        catch (RoleNotAssumedException e)
        {
            // Nothing was sent; retried as any failure (the role's trust policy may be fixed meanwhile).
            return (e.Message, false);
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}

/// <summary>The VAPID JWT's <c>aud</c> is the push resource's origin (RFC 8292), port included: Lib.Net.Http.WebPush
/// leaves a non-default port out, so the header is made again here for the request's real origin. Push services on 443
/// see the same value either way.</summary>
sealed class VapidAudience(VapidAuthentication authentication) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsDefaultPort: false } uri)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("vapid",
                authentication.GetVapidSchemeAuthenticationHeaderValueParameter(uri.GetLeftPart(UriPartial.Authority)));
        return base.SendAsync(request, cancellationToken);
    }
}
