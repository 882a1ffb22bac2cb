using System.Diagnostics;
using Portal.Client.Contract.Sync;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>
/// Push sync acts as the pool's <c>PushSync.RoleArn</c>, as Cognito does: Portal assumes the role at a real STS
/// (<see cref="StsService"/>, which checks each AssumeRole's SigV4 signature with the SNS settings' key and the ExternalId)
/// and the SNS server accepts only the temporary credentials STS issued. The credentials are assumed once, reused, and
/// assumed again once they near their expiry; a role STS refuses delivers nothing and the device's last error says why.
/// </summary>
public sealed class PushRoleTests(PushPortalServer server) : IClassFixture<PushPortalServer>
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    readonly SyncKit kit = new(server);
    PushServices Push => server.Push;
    StsService Sts => server.Sts;

    static string Role(string name) => $"arn:aws:iam::000000000000:role/{PortalServer.Unique(name)}";

    async Task Configure((string PoolId, string Developer) pool, string role)
    {
        var set = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/configuration"), new
        {
            PushSync = new { ApplicationArns = new[] { "arn:aws:sns:us-east-1:000000000000:app/GCM/role-push" }, RoleArn = role },
        });
        Assert.True(set.Status == 200, $"SetIdentityPoolConfiguration answered {set.Status} {set.ErrorType}: {set.Message}");
    }

    Task<SyncKit.Answer> Register(SyncKit.Device d, string token) =>
        kit.Call(d.Credentials, "POST", $"/identitypools/{Uri.EscapeDataString(d.PoolId)}/identity/{Uri.EscapeDataString(d.IdentityId)}/device",
            new { Platform = "GCM", Token = token });

    async Task<string> Registered(SyncKit.Device d, string token)
    {
        var answer = await Register(d, token);
        Assert.True(answer.Status == 200, $"RegisterDevice answered {answer.Status} {answer.ErrorType}: {answer.Message}");
        return answer.Body.GetProperty("DeviceId").GetString()!;
    }

    async Task Update(SyncKit.Device d, string deviceId, string value, long syncCount)
    {
        var session = (await kit.List(d, "game")).GetProperty("SyncSessionToken").GetString();
        var answer = await kit.Call(d.Credentials, "POST", SyncKit.Dataset(d, "game"), new Dictionary<string, object?>
        {
            ["SyncSessionToken"] = session, ["DeviceId"] = deviceId, ["RecordPatches"] = new[] { SyncKit.Replace("level", value, syncCount) },
        });
        Assert.Equal(200, answer.Status);
    }

    /// <summary>The Publish that carries the identity's change with this sync count.</summary>
    Task<PushServices.SnsCall> Published(SyncKit.Device d, long syncCount) => Push.Sns.First(c => c.Action == "Publish" && Carries(c, d, syncCount), Limit);

    static bool Carries(PushServices.SnsCall publish, SyncKit.Device d, long syncCount)
    {
        var message = System.Text.Json.JsonDocument.Parse(publish.Form["Message"]).RootElement;
        var data = System.Text.Json.JsonDocument.Parse(message.GetProperty("GCM").GetString()!).RootElement.GetProperty("data");
        return data.GetProperty("identityId").GetString() == d.IdentityId
               && data.GetProperty("syncCount").GetString() == syncCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Sns_is_called_as_the_assumed_role_whose_credentials_are_reused_and_renewed_before_they_expire()
    {
        var pool = await kit.Pool();
        var role = Role("push-role");
        await Configure(pool, role);
        // STS issues credentials for ten minutes (as if the role's session were that short): renewed five minutes before.
        Sts.Lifetime = TimeSpan.FromMinutes(10);
        var user = "user-" + Guid.NewGuid().ToString("n")[..8];
        var (phone, tablet) = (await kit.NewDevice(pool, user), await kit.NewDevice(pool, user));
        var tokens = new[] { "gcm-" + Guid.NewGuid().ToString("n"), "gcm-" + Guid.NewGuid().ToString("n") };
        var phoneDevice = await Registered(phone, tokens[0]);
        var tabletDevice = await Registered(tablet, tokens[1]);
        Assert.Equal(200, (await kit.Call(tablet.Credentials, "POST", SyncKit.Dataset(tablet, "game") + "/subscriptions/" + tabletDevice)).Status);

        // STS was asked once, by the SNS settings' key, for the pool's role, with the ExternalId; SNS saw only the role's key.
        var call = Assert.Single(Sts.Calls.Snapshot(), c => c.RoleArn == role);
        Assert.Equal(PushServices.SnsAccessKey, call.AccessKeyId);
        Assert.Equal(("portal-cognito-sync", StsService.ExternalId, "3600"), (call.RoleSessionName, call.ExternalId, call.DurationSeconds));
        var first = Assert.Single(Sts.IssuedFor(role));
        var endpoints = Push.Sns.Snapshot().Where(c => c.Action == "CreatePlatformEndpoint" && tokens.Contains(c.Form["Token"])).ToList();
        Assert.Equal(2, endpoints.Count);
        Assert.All(endpoints, c => Assert.Equal(first.AccessKeyId, c.AccessKeyId));

        // Three changes, three notifications to the tablet, all signed with the same assumed credentials.
        for (var n = 1; n <= 3; n++)
        {
            await Update(phone, phoneDevice, n.ToString(System.Globalization.CultureInfo.InvariantCulture), n - 1);
            Assert.Equal(first.AccessKeyId, (await Published(phone, n)).AccessKeyId);
        }
        Assert.Single(Sts.Calls.Snapshot(), c => c.RoleArn == role);

        // Six minutes on, the credentials are within five minutes of their expiry: the next change assumes the role again.
        // (The server's clock moves less than the 15 minutes SigV4 allows between a request's time and the server's.)
        server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Update(phone, phoneDevice, "4", 3);
        var renewed = await Published(phone, 4);
        Assert.Equal(2, Sts.Calls.Snapshot().Count(c => c.RoleArn == role));
        Assert.Equal(Sts.IssuedFor(role)[1].AccessKeyId, renewed.AccessKeyId);
        Assert.NotEqual(first.AccessKeyId, renewed.AccessKeyId);
        Assert.Empty(Push.Refused.Snapshot());
        Assert.Empty(Sts.BadSignatures.Snapshot());
    }

    [Fact]
    public async Task Devices_registering_at_the_same_moment_wait_for_one_AssumeRole_of_the_pools_role()
    {
        var pool = await kit.Pool();
        var role = Role("concurrent-push");
        await Configure(pool, role);
        var devices = new List<SyncKit.Device>();
        for (var i = 0; i < 8; i++) devices.Add(await kit.NewDevice(pool));
        var answers = await Task.WhenAll(devices.Select(d => Register(d, "gcm-" + Guid.NewGuid().ToString("n"))));
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(Sts.Calls.Snapshot(), c => c.RoleArn == role);
        Assert.Single(Sts.IssuedFor(role));
    }

    [Fact]
    public async Task A_role_sts_refuses_delivers_nothing_the_devices_last_error_names_it_and_delivery_resumes_once_sts_allows_it()
    {
        var pool = await kit.Pool();
        await Configure(pool, Role("push-role"));
        var user = "user-" + Guid.NewGuid().ToString("n")[..8];
        var (phone, tablet) = (await kit.NewDevice(pool, user), await kit.NewDevice(pool, user));
        var phoneDevice = await Registered(phone, "gcm-" + Guid.NewGuid().ToString("n"));
        var tabletDevice = await Registered(tablet, "gcm-" + Guid.NewGuid().ToString("n"));
        Assert.Equal(200, (await kit.Call(tablet.Credentials, "POST", SyncKit.Dataset(tablet, "game") + "/subscriptions/" + tabletDevice)).Status);

        // The pool now names a role whose trust policy does not trust Portal's principal: RegisterDevice cannot make an
        // endpoint, and a change reaches no one; the tablet's last error names the role and STS's answer.
        var role = Role("refused-push");
        Sts.RefusedRoles[role] = true;
        await Configure(pool, role);
        var refused = await Register(phone, "gcm-" + Guid.NewGuid().ToString("n"));
        Assert.Equal((400, "InvalidConfigurationException"), (refused.Status, refused.ErrorType));
        Assert.Contains($"Portal could not act as role {role}", refused.Message, StringComparison.Ordinal);
        await Update(phone, phoneDevice, "1", 0);
        var watch = Stopwatch.StartNew();
        GetPushSyncStatusResponse status;
        do status = await kit.Admin.Send(new GetPushSyncStatusRequest { IdentityPoolId = pool.PoolId });
        while (status.FailingDevices is not { Count: > 0 } && watch.Elapsed < Limit);
        var failing = Assert.Single(status.FailingDevices!);
        Assert.Equal(tabletDevice, failing.DeviceId);
        Assert.Matches($"^Attempt [0-9] failed: Portal could not act as role {System.Text.RegularExpressions.Regex.Escape(role)}: STS at 127.0.0.1 answered AccessDenied: User: ", failing.LastError);
        Assert.Contains($"sts:AssumeRole on resource: {role}", failing.LastError, StringComparison.Ordinal);
        Assert.Equal(1, status.Pending);
        Assert.DoesNotContain(Push.Sns.Snapshot(), c => c.Action == "Publish" && c.Form["Message"].Contains(phone.IdentityId, StringComparison.Ordinal));

        // A malformed role ARN (the model's pattern lets any account number through) is said as such, without asking STS.
        var before = Sts.Calls.Snapshot().Count;
        var other = await kit.Pool();
        await Configure(other, "arn:aws:iam::123:role/short-account");
        var malformed = await Register(await kit.NewDevice(other), "gcm-" + Guid.NewGuid().ToString("n"));
        Assert.Equal((400, "InvalidConfigurationException"), (malformed.Status, malformed.ErrorType));
        Assert.Contains("Portal could not act as role arn:aws:iam::123:role/short-account: it is not an IAM role ARN", malformed.Message, StringComparison.Ordinal);
        Assert.Equal(before, Sts.Calls.Snapshot().Count);

        // The trust policy is fixed: the retry (after its delay and the refusal's short memory) delivers the change.
        Sts.RefusedRoles.TryRemove(role, out _);
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        var delivered = await Published(phone, 1);
        Assert.Equal(Sts.IssuedFor(role)[^1].AccessKeyId, delivered.AccessKeyId);
        Assert.Empty(Push.Refused.Snapshot());
    }
}

/// <summary>kinesalite, an STS that knows the Kinesis settings' key, and a Portal whose Cognito Streams assume the
/// pools' roles there (<c>Portal:Sync:AssumeRoles</c> true, as Portal ships).</summary>
public sealed class StreamRoleFixture : IDisposable
{
    public Kinesalite Kinesis { get; } = new();
    public StsService Sts { get; } = new(new Dictionary<string, string> { [StreamsServer.KinesisKey] = StreamsServer.KinesisSecret });
    public StreamsServer Server { get; }

    public StreamRoleFixture() => Server = new StreamsServer(Kinesis.Endpoint, settings: new Dictionary<string, string?>
    {
        ["Portal:Sync:AssumeRoles"] = "true",
        ["Portal:Sync:Sts:Endpoint"] = Sts.Url,
        ["Portal:Sync:Sts:ExternalId"] = StsService.ExternalId,
    });

    public void Dispose()
    {
        Server.Dispose();
        Sts.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Kinesis.Dispose();
    }
}

/// <summary>Cognito Streams act as the pool's <c>CognitoStreams.RoleArn</c>: the records reach kinesalite once STS
/// issued the role's credentials; a role STS refuses leaves the records in the outbox (the streams card's last error and
/// test record say why) until the pool names a role Portal may act as.</summary>
public sealed class StreamRoleTests(StreamRoleFixture fixture) : IClassFixture<StreamRoleFixture>
{
    StreamsServer Server => fixture.Server;
    StsService Sts => fixture.Sts;

    static async Task Streams(SyncKit kit, string poolId, string stream, string role)
    {
        var set = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(poolId, tail: "/configuration"), new Dictionary<string, object>
        {
            ["CognitoStreams"] = new Dictionary<string, string> { ["StreamName"] = stream, ["RoleArn"] = role, ["StreamingStatus"] = "ENABLED" },
        });
        Assert.True(set.Status == 200, $"SetIdentityPoolConfiguration answered {set.Status} {set.ErrorType}: {set.Message}");
    }

    [Fact]
    public async Task Records_reach_the_stream_as_the_assumed_role_and_a_refused_role_keeps_them_in_the_outbox_until_the_role_is_fixed()
    {
        var kit = new SyncKit(Server);
        var stream = PortalServer.Unique("roles");
        await Server.CreateStream(stream);
        var role = $"arn:aws:iam::000000000000:role/{PortalServer.Unique("streams-role")}";
        var pool = await kit.Pool();
        await Streams(kit, pool.PoolId, stream, role);
        var phone = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(phone, "settings", SyncKit.Replace("theme", "dark", 0))).Status);
        Assert.Equal(200, (await kit.Update(phone, "settings", SyncKit.Replace("theme", "light", 1))).Status);
        var records = await Server.ReadUntil(stream, pool.PoolId, r => r.Count == 2);
        Assert.Equal([1L, 2L], records.Select(r => r.Data.GetProperty("syncCount").GetInt64()));
        var call = Assert.Single(Sts.Calls.Snapshot(), c => c.RoleArn == role);
        Assert.Equal((StreamsServer.KinesisKey, StsService.ExternalId), (call.AccessKeyId, call.ExternalId));

        // A role STS refuses: nothing is sent, the records wait, and the card's last error and test record name the role.
        var refused = $"arn:aws:iam::000000000000:role/{PortalServer.Unique("refused-streams")}";
        Sts.RefusedRoles[refused] = true;
        var other = await kit.Pool();
        await Streams(kit, other.PoolId, stream, refused);
        var tablet = await kit.NewDevice(other);
        Assert.Equal(200, (await kit.Update(tablet, "notes", SyncKit.Replace("todo", "milk", 0))).Status);
        var waiting = await Server.OutboxUntil(other.PoolId, rows => rows.Count == 1 && rows[0].LastError is not null);
        Assert.StartsWith($"Portal could not act as role {refused}: STS at 127.0.0.1 answered AccessDenied", waiting[0].LastError, StringComparison.Ordinal);
        var status = await kit.Admin.Send(new GetSyncStreamStatusRequest { IdentityPoolId = other.PoolId });
        Assert.Equal(1, status.OutboxDepth);
        Assert.Contains(refused, status.LastError, StringComparison.Ordinal);
        var test = await kit.Admin.Send(new SendSyncStreamTestRecordRequest { IdentityPoolId = other.PoolId });
        Assert.Null(test.SequenceNumber);
        Assert.Contains($"Portal could not act as role {refused}", test.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await Server.Read(stream), r => r.Data.GetProperty("identityPoolId").GetString() == other.PoolId);

        // The pool is pointed at a role Portal may act as: the waiting record goes out, and the outbox empties.
        var fixedRole = $"arn:aws:iam::000000000000:role/{PortalServer.Unique("fixed-streams")}";
        await Streams(kit, other.PoolId, stream, fixedRole);
        var delivered = await Server.ReadUntil(stream, other.PoolId, r => r.Count == 1);
        Assert.Equal("notes", delivered[0].Data.GetProperty("dataSetName").GetString());
        await Server.OutboxUntil(other.PoolId, rows => rows.Count == 0);
        Assert.Single(Sts.Calls.Snapshot(), c => c.RoleArn == fixedRole);
        Assert.Empty(Sts.BadSignatures.Snapshot());
    }
}
