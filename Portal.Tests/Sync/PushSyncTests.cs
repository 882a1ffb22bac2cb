using System.Diagnostics;
using System.Text.Json;
using Portal.Client.Contract.Sync;
using Portal.Server.Sync.Push;

namespace Portal.Tests.Sync;

/// <summary>
/// Push sync end to end over the wire, signed as SDKs sign: RegisterDevice, SubscribeToDataset and UnsubscribeFromDataset
/// with an identity's own credentials, and the silent notification a change sends to the identity's OTHER subscribed
/// devices: through Web Push (a local push service that checks the VAPID JWT and decrypts the aes128gcm payload with the
/// browser's key) and through SNS (CreatePlatformEndpoint at registration, Publish with the endpoint as TargetArn, every
/// request's SigV4 signature checked by the SNS server).
/// </summary>
public sealed class PushSyncTests(PushPortalServer server) : IClassFixture<PushPortalServer>
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    readonly SyncKit kit = new(server);
    PushServices Push => server.Push;

    async Task<string> Register(SyncKit.Device d, string platform, string token)
    {
        var answer = await kit.Call(d.Credentials, "POST", $"/identitypools/{Uri.EscapeDataString(d.PoolId)}/identity/{Uri.EscapeDataString(d.IdentityId)}/device",
            new { Platform = platform, Token = token });
        Assert.True(answer.Status == 200, $"RegisterDevice answered {answer.Status} {answer.ErrorType}: {answer.Message}");
        return answer.Body.GetProperty("DeviceId").GetString()!;
    }

    Task<SyncKit.Answer> Subscribe(SyncKit.Device d, string dataset, string deviceId, string method = "POST") =>
        kit.Call(d.Credentials, method, SyncKit.Dataset(d, dataset) + "/subscriptions/" + Uri.EscapeDataString(deviceId));

    /// <summary>UpdateRecords from one device (its DeviceId in the request, as the SDKs send it).</summary>
    async Task<SyncKit.Answer> Update(SyncKit.Device d, string dataset, string deviceId, params object[] patches)
    {
        var session = (await kit.List(d, dataset)).GetProperty("SyncSessionToken").GetString();
        return await kit.Call(d.Credentials, "POST", SyncKit.Dataset(d, dataset), new Dictionary<string, object?>
        {
            ["SyncSessionToken"] = session, ["DeviceId"] = deviceId, ["RecordPatches"] = patches,
        });
    }

    /// <summary>The pool's push status, read again until <paramref name="done"/> holds or the test's limit passes (the
    /// caller asserts on what it got).</summary>
    async Task<GetPushSyncStatusResponse> PushStatus(string poolId, Func<GetPushSyncStatusResponse, bool> done)
    {
        var watch = Stopwatch.StartNew();
        var status = await kit.Admin.Send(new GetPushSyncStatusRequest { IdentityPoolId = poolId });
        while (!done(status) && watch.Elapsed < Limit)
        {
            await Task.Delay(50);
            status = await kit.Admin.Send(new GetPushSyncStatusRequest { IdentityPoolId = poolId });
        }
        return status;
    }

    /// <summary>Waits for a Web Push message; when none comes, fails with what the pool's push status says went wrong.</summary>
    async Task<PushServices.WebPushMessage> Arrival(string poolId, Func<PushServices.WebPushMessage, bool> match)
    {
        try
        {
            return await Push.WebPush.First(match, Limit);
        }
        catch (OperationCanceledException)
        {
            var status = await kit.Admin.Send(new GetPushSyncStatusRequest { IdentityPoolId = poolId });
            var errors = string.Join("; ", (status.FailingDevices ?? []).Select(d => $"{d.DeviceId}: {d.LastError}"));
            throw new Xunit.Sdk.XunitException($"No Web Push message arrived in {Limit}; pending {status.Pending}; failing devices: {errors}; refused: {string.Join("; ", Push.Refused.Snapshot())}");
        }
    }

    static void AssertCognitoData(JsonElement data, SyncKit.Device d, string dataset, long syncCount)
    {
        Assert.Equal("cognito-sync", data.GetProperty("source").GetString());
        Assert.Equal(d.PoolId, data.GetProperty("identityPoolId").GetString());
        Assert.Equal(d.IdentityId, data.GetProperty("identityId").GetString());
        Assert.Equal(dataset, data.GetProperty("datasetName").GetString());
        Assert.Equal(syncCount.ToString(System.Globalization.CultureInfo.InvariantCulture), data.GetProperty("syncCount").GetString());
    }

    [Fact]
    public async Task A_browsers_change_reaches_the_identitys_other_browser_by_web_push_decrypted_with_its_key_and_no_one_else()
    {
        var pool = await kit.Pool();
        var user = "user-" + Guid.NewGuid().ToString("n")[..8];
        var laptop = await kit.NewDevice(pool, user);
        var phone = await kit.NewDevice(pool, user);
        Assert.Equal(laptop.IdentityId, phone.IdentityId);
        var stranger = await kit.NewDevice(pool);

        var (a, b, c) = (Push.NewBrowser(), Push.NewBrowser(), Push.NewBrowser());
        var deviceA = await Register(laptop, PushPlatforms.WebPush, a.SubscriptionJson);
        var deviceB = await Register(phone, PushPlatforms.WebPush, b.SubscriptionJson);
        var deviceC = await Register(stranger, PushPlatforms.WebPush, c.SubscriptionJson);
        Assert.Equal(deviceA, await Register(laptop, PushPlatforms.WebPush, a.SubscriptionJson));
        Assert.Equal(200, (await Subscribe(laptop, "settings", deviceA)).Status);
        Assert.Equal(200, (await Subscribe(phone, "settings", deviceB)).Status);
        Assert.Equal(200, (await Subscribe(phone, "settings", deviceB)).Status);
        Assert.Equal(200, (await Subscribe(stranger, "settings", deviceC)).Status);

        var watch = Stopwatch.StartNew();
        Assert.Equal(200, (await Update(laptop, "settings", deviceA, SyncKit.Replace("theme", "dark", 0))).Status);
        var toB = await Arrival(pool.PoolId, m => m.Browser == b.Name);
        var elapsed = watch.Elapsed;
        AssertCognitoData(toB.Payload, laptop, "settings", 1);
        Assert.True(elapsed < PushDelivery.PollInterval, $"delivered after {elapsed}, not on the commit's wake-up");

        // The VAPID JWT was signed with the key Portal publishes for browsers to subscribe with.
        using var http = new HttpClient();
        var published = JsonDocument.Parse(await http.GetStringAsync(server.BaseUrl + "/webpush/vapid-public-key")).RootElement.GetProperty("publicKey").GetString();
        Assert.Equal(published, toB.VapidKey);
        Assert.Equal(Push.Url, toB.Claims.GetProperty("aud").GetString());
        Assert.Equal("mailto:push-tests@example.com", toB.Claims.GetProperty("sub").GetString());

        // The phone's change notifies the laptop; deliveries go in order, so once it is in, anything else would be too.
        Assert.Equal(200, (await Update(phone, "settings", deviceB, SyncKit.Replace("theme", "light", 1))).Status);
        var toA = await Arrival(pool.PoolId, m => m.Browser == a.Name);
        AssertCognitoData(toA.Payload, phone, "settings", 2);
        var all = Push.WebPush.Snapshot();
        Assert.Single(all, m => m.Browser == a.Name);
        Assert.Single(all, m => m.Browser == b.Name);
        Assert.DoesNotContain(all, m => m.Browser == c.Name);

        // Unsubscribed: the laptop hears nothing of the phone's next change (and the phone never hears of its own).
        Assert.Equal(200, (await Subscribe(laptop, "settings", deviceA, "DELETE")).Status);
        Assert.Equal(200, (await Update(phone, "settings", deviceB, SyncKit.Replace("theme", "blue", 2))).Status);
        Assert.Equal(200, (await Update(laptop, "settings", deviceA, SyncKit.Replace("volume", "3", 0))).Status);
        var third = await Arrival(pool.PoolId, m => m.Browser == b.Name && m.Payload.GetProperty("syncCount").GetString() == "4");
        AssertCognitoData(third.Payload, laptop, "settings", 4);
        Assert.Single(Push.WebPush.Snapshot(), m => m.Browser == a.Name);
        Assert.Empty(Push.Refused.Snapshot());
    }

    [Fact]
    public async Task Mobile_devices_get_sns_platform_endpoints_and_a_change_is_published_to_the_other_devices_endpoint_with_valid_signatures()
    {
        var pool = await kit.Pool();
        var user = "user-" + Guid.NewGuid().ToString("n")[..8];
        var phone = await kit.NewDevice(pool, user);
        var tablet = await kit.NewDevice(pool, user);

        // Not configured yet: Cognito's InvalidConfigurationException; an unknown platform: InvalidParameterException.
        var unconfigured = await kit.Call(phone.Credentials, "POST", $"/identitypools/{Uri.EscapeDataString(phone.PoolId)}/identity/{Uri.EscapeDataString(phone.IdentityId)}/device",
            new { Platform = "GCM", Token = "gcm-token" });
        Assert.Equal((400, "InvalidConfigurationException"), (unconfigured.Status, unconfigured.ErrorType));
        var unknown = await kit.Call(phone.Credentials, "POST", $"/identitypools/{Uri.EscapeDataString(phone.PoolId)}/identity/{Uri.EscapeDataString(phone.IdentityId)}/device",
            new { Platform = "BLACKBERRY", Token = "t" });
        Assert.Equal((400, "InvalidParameterException"), (unknown.Status, unknown.ErrorType));

        var gcmApp = "arn:aws:sns:us-east-1:000000000000:app/GCM/portal-push";
        var apnsApp = "arn:aws:sns:us-east-1:000000000000:app/APNS/portal-push";
        var configured = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/configuration"), new
        {
            PushSync = new { ApplicationArns = new[] { gcmApp, apnsApp }, RoleArn = "arn:aws:iam::000000000000:role/cognito-push" },
        });
        Assert.Equal(200, configured.Status);
        var noAdm = await kit.Call(phone.Credentials, "POST", $"/identitypools/{Uri.EscapeDataString(phone.PoolId)}/identity/{Uri.EscapeDataString(phone.IdentityId)}/device",
            new { Platform = "ADM", Token = "adm-token" });
        Assert.Equal("InvalidConfigurationException", noAdm.ErrorType);

        var gcmToken = "gcm-" + Guid.NewGuid().ToString("n");
        var apnsToken = "apns-" + Guid.NewGuid().ToString("n");
        var phoneDevice = await Register(phone, "GCM", gcmToken);
        var tabletDevice = await Register(tablet, "APNS", apnsToken);
        var created = Push.Sns.Snapshot().Where(c => c.Action == "CreatePlatformEndpoint").ToList();
        Assert.Contains(created, c => c.Form["PlatformApplicationArn"] == gcmApp && c.Form["Token"] == gcmToken);
        var tabletEndpoint = created.Single(c => c.Form["Token"] == apnsToken);
        Assert.Equal(apnsApp, tabletEndpoint.Form["PlatformApplicationArn"]);
        Assert.Equal(phoneDevice, await Register(phone, "GCM", gcmToken));

        Assert.Equal(200, (await Subscribe(phone, "game", phoneDevice)).Status);
        Assert.Equal(200, (await Subscribe(tablet, "game", tabletDevice)).Status);
        var missing = await Subscribe(tablet, "game", Guid.NewGuid().ToString());
        Assert.Equal((404, "ResourceNotFoundException"), (missing.Status, missing.ErrorType));

        Assert.Equal(200, (await Update(phone, "game", phoneDevice, SyncKit.Replace("level", "7", 0))).Status);
        var published = await Push.Sns.First(c => c.Action == "Publish" && c.Form["Message"].Contains(phone.IdentityId, StringComparison.Ordinal), Limit);
        Assert.Equal("json", published.Form["MessageStructure"]);
        Assert.EndsWith(":endpoint/APNS/portal-push/" + published.Form["TargetArn"].Split('/')[^1], published.Form["TargetArn"], StringComparison.Ordinal);
        var message = JsonDocument.Parse(published.Form["Message"]).RootElement;
        var apns = JsonDocument.Parse(message.GetProperty("APNS").GetString()!).RootElement;
        Assert.Equal(1, apns.GetProperty("aps").GetProperty("content-available").GetInt32());
        AssertCognitoData(apns, phone, "game", 1);
        var gcm = JsonDocument.Parse(message.GetProperty("GCM").GetString()!).RootElement;
        AssertCognitoData(gcm.GetProperty("data"), phone, "game", 1);
        // Only the tablet's endpoint: the phone made the change.
        Assert.Single(Push.Sns.Snapshot(), c => c.Action == "Publish" && c.Form["Message"].Contains(phone.IdentityId, StringComparison.Ordinal));
        Assert.Empty(Push.Refused.Snapshot());
    }

    [Fact]
    public async Task A_failed_delivery_is_recorded_on_the_device_for_the_portal_and_an_identity_cannot_register_on_anothers_path()
    {
        var pool = await kit.Pool();
        var user = "user-" + Guid.NewGuid().ToString("n")[..8];
        var phone = await kit.NewDevice(pool, user);
        var old = await kit.NewDevice(pool, user);
        var other = await kit.NewDevice(pool);
        var gcmApp = "arn:aws:sns:us-east-1:000000000000:app/GCM/portal-push";
        Assert.Equal(200, (await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/configuration"), new
        {
            PushSync = new { ApplicationArns = new[] { gcmApp }, RoleArn = "arn:aws:iam::000000000000:role/cognito-push" },
        })).Status);

        var refused = await kit.Call(other.Credentials, "POST", $"/identitypools/{Uri.EscapeDataString(phone.PoolId)}/identity/{Uri.EscapeDataString(phone.IdentityId)}/device",
            new { Platform = "GCM", Token = "stolen" });
        Assert.Equal(403, refused.Status);

        var disabledToken = "gcm-disabled-" + Guid.NewGuid().ToString("n");
        Push.DisabledTokens[disabledToken] = true;
        var phoneDevice = await Register(phone, "GCM", "gcm-" + Guid.NewGuid().ToString("n"));
        var oldDevice = await Register(old, "GCM", disabledToken);
        Assert.Equal(200, (await Subscribe(old, "notes", oldDevice)).Status);
        Assert.Equal(200, (await Update(phone, "notes", phoneDevice, SyncKit.Replace("n", "1", 0))).Status);
        await Push.Sns.First(c => c.Action == "Publish" && c.Form["Message"].Contains(phone.IdentityId, StringComparison.Ordinal), Limit);

        // EndpointDisabled is not retried: the device shows the error in the pool's push status.
        var status = await PushStatus(pool.PoolId, s => s.FailingDevices is { Count: > 0 });
        var failing = Assert.Single(status.FailingDevices!);
        Assert.Equal(oldDevice, failing.DeviceId);
        Assert.Contains("EndpointDisabled", failing.LastError, StringComparison.Ordinal);
        Assert.StartsWith("Given up after 1 attempt", failing.LastError, StringComparison.Ordinal);
        Assert.Equal(2, status.Devices);
        Assert.Equal(1, status.Subscriptions);
        Assert.Equal(0, status.Pending);
        Assert.False(string.IsNullOrEmpty(status.VapidPublicKey));

        // The portal's test button: one notification per device of the pool.
        var test = await kit.Admin.Send(new SendTestPushNotificationRequest { IdentityPoolId = pool.PoolId });
        Assert.Equal(2, test.Queued);
        await Push.Sns.First(c => c.Action == "Publish" && c.Form["Message"].Contains("portal-test", StringComparison.Ordinal)
                                                        && c.Form["Message"].Contains(phone.IdentityId, StringComparison.Ordinal), Limit);
    }
    [Fact]
    public async Task Devices_and_subscriptions_are_the_identitys_own_developer_credentials_are_refused_as_Cognito_refuses_them()
    {
        var pool = await kit.Pool();
        var phone = await kit.NewDevice(pool);
        var browser = Push.NewBrowser();
        var device = "/identitypools/" + Uri.EscapeDataString(phone.PoolId) + "/identity/" + Uri.EscapeDataString(phone.IdentityId) + "/device";

        // RegisterDevice, SubscribeToDataset, UnsubscribeFromDataset: "You cannot call this API with developer credentials."
        var register = await kit.Call(SyncKit.Developer, "POST", device, new { Platform = PushPlatforms.WebPush, Token = browser.SubscriptionJson });
        Assert.Equal((403, "NotAuthorizedException"), (register.Status, register.ErrorType));
        Assert.Equal("These credentials are not valid for accessing this resource", register.Message);
        var deviceId = await Register(phone, PushPlatforms.WebPush, browser.SubscriptionJson);
        var subscription = SyncKit.Dataset(phone, "notes") + "/subscriptions/" + Uri.EscapeDataString(deviceId);
        foreach (var method in new[] { "POST", "DELETE" })
        {
            var refused = await kit.Call(SyncKit.Developer, method, subscription);
            Assert.Equal((403, "NotAuthorizedException"), (refused.Status, refused.ErrorType));
        }
        var status = await kit.Admin.Send(new GetPushSyncStatusRequest { IdentityPoolId = pool.PoolId });
        Assert.Equal((1, 0), (status.Devices, status.Subscriptions));

        // The identity's own credentials are served; the developer's still are on the identity's datasets (UpdateRecords).
        Assert.Equal(200, (await Subscribe(phone, "notes", deviceId)).Status);
        Assert.Equal(200, (await kit.Update(phone, "notes", SyncKit.Developer, SyncKit.Replace("k", "v", 0))).Status);
        Assert.Equal(1, (await kit.Admin.Send(new GetPushSyncStatusRequest { IdentityPoolId = pool.PoolId })).Subscriptions);
        Assert.Equal(200, (await Subscribe(phone, "notes", deviceId, "DELETE")).Status);
    }
    [Fact]
    public async Task Deleting_a_dataset_and_merging_identities_notify_the_subscribed_devices()
    {
        var pool = await kit.Pool();
        var user = "user-" + Guid.NewGuid().ToString("n")[..8];
        var (laptop, phone) = (await kit.NewDevice(pool, user), await kit.NewDevice(pool, user));
        var (a, b) = (Push.NewBrowser(), Push.NewBrowser());
        var (deviceA, deviceB) = (await Register(laptop, PushPlatforms.WebPush, a.SubscriptionJson), await Register(phone, PushPlatforms.WebPush, b.SubscriptionJson));
        Assert.Equal(200, (await Subscribe(laptop, "notes", deviceA)).Status);
        Assert.Equal(200, (await Subscribe(phone, "notes", deviceB)).Status);
        Assert.Equal(200, (await Update(laptop, "notes", deviceA, SyncKit.Replace("todo", "milk", 0))).Status);
        await Arrival(pool.PoolId, m => m.Browser == b.Name);

        // DeleteDataset names no device: every subscribed device hears of count 2, and syncing learns of the deletion.
        Assert.Equal(200, (await kit.Call(phone.Credentials, "DELETE", SyncKit.Dataset(phone, "notes"))).Status);
        AssertCognitoData((await Arrival(pool.PoolId, m => m.Browser == a.Name)).Payload, laptop, "notes", 2);
        AssertCognitoData((await Arrival(pool.PoolId, m => m.Browser == b.Name && m.Payload.GetProperty("syncCount").GetString() == "2")).Payload, laptop, "notes", 2);
        Assert.True((await kit.List(laptop, "notes", lastSyncCount: 1)).GetProperty("DatasetDeletedAfterRequestedSyncCount").GetBoolean());

        // A merge: the tablet's identity goes into the laptop's. Its device is now the survivor's and, as the laptop's,
        // hears of the merged dataset name with the survivor's identity id; the laptop learns of the merged dataset.
        var tablet = await kit.NewDevice(pool, "merged-" + Guid.NewGuid().ToString("n")[..8]);
        var c = Push.NewBrowser();
        var deviceC = await Register(tablet, PushPlatforms.WebPush, c.SubscriptionJson);
        Assert.Equal(200, (await Subscribe(tablet, "game", deviceC)).Status);
        Assert.Equal(200, (await Subscribe(laptop, "game", deviceA)).Status);
        Assert.Equal(200, (await Update(laptop, "game", deviceA, SyncKit.Replace("level", "1", 0))).Status);
        Assert.Equal(200, (await Update(tablet, "game", deviceC, SyncKit.Replace("level", "9", 0))).Status);
        var before = Push.WebPush.Snapshot().Count(m => m.Browser == a.Name);
        await kit.Admin.Send(new global::Portal.Client.Contract.IdentityPools.MergeDeveloperIdentitiesRequest
        {
            IdentityPoolId = pool.PoolId, DeveloperProviderName = pool.Developer, SourceUserIdentifier = tablet.UserId, DestinationUserIdentifier = user,
        });
        var toTablet = await Arrival(pool.PoolId, m => m.Browser == c.Name && m.Payload.GetProperty("identityId").GetString() == laptop.IdentityId);
        AssertCognitoData(toTablet.Payload, laptop, "game", 1);
        var toLaptop = await Arrival(pool.PoolId, m => m.Browser == a.Name && m.Payload.GetProperty("datasetName").GetString() == "game");
        AssertCognitoData(toLaptop.Payload, laptop, "game", 1);
        Assert.True(Push.WebPush.Snapshot().Count(m => m.Browser == a.Name) > before);
        Assert.Equal([$"game.{tablet.IdentityId}"],
            (await kit.List(laptop, "game")).GetProperty("MergedDatasetNames").EnumerateArray().Select(n => n.GetString()));
        // The merge notifies more than the two messages waited for above: what is still on its way drains, nothing stays.
        var status = await PushStatus(pool.PoolId, s => s.Pending == 0);
        Assert.Equal((3, 0), (status.Devices, status.Pending));
        Assert.Empty(Push.Refused.Snapshot());
    }
}
