using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>Cognito Sync's datasets and records over REST-JSON, signed as SDKs sign them: a device's own credentials
/// reach its own datasets only, records sync incrementally with conflicts on stale counts, nothing of a refused request is
/// applied, and the limits answer with Cognito's errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class SyncApiTests(PortalServer server)
{
    readonly SyncKit kit = new(server);

    [Fact]
    public async Task A_device_writes_records_and_another_device_of_the_identity_gets_only_what_changed_since_its_last_sync()
    {
        var pool = await kit.Pool();
        var phone = await kit.NewDevice(pool);

        var empty = await kit.List(phone, "settings");
        Assert.False(empty.GetProperty("DatasetExists").GetBoolean());
        Assert.Equal(0, empty.GetProperty("DatasetSyncCount").GetInt64());
        Assert.False(string.IsNullOrEmpty(empty.GetProperty("SyncSessionToken").GetString()));

        var edited = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var first = await kit.Update(phone, "settings", SyncKit.Replace("theme", "dark", 0, edited), SyncKit.Replace("volume", "7", 0));
        Assert.Equal(200, first.Status);
        var written = SyncKit.ByKey(first.Body.GetProperty("Records"));
        Assert.Equal(1, written["theme"].GetProperty("SyncCount").GetInt64());
        Assert.Equal(1_700_000_000, written["theme"].GetProperty("DeviceLastModifiedDate").GetDouble());
        Assert.Equal(phone.IdentityId, written["theme"].GetProperty("LastModifiedBy").GetString());

        var second = await kit.Update(phone, "settings", SyncKit.Replace("volume", "9", 1), SyncKit.Remove("theme", 1));
        Assert.Equal(200, second.Status);

        // A device that synced at count 1 gets the two records changed at count 2: the new volume and theme's removal.
        var since1 = await kit.List(phone, "settings", lastSyncCount: 1);
        Assert.True(since1.GetProperty("DatasetExists").GetBoolean());
        Assert.Equal(2, since1.GetProperty("DatasetSyncCount").GetInt64());
        var changed = SyncKit.ByKey(since1.GetProperty("Records"));
        Assert.Equal("9", changed["volume"].GetProperty("Value").GetString());
        Assert.False(changed["theme"].TryGetProperty("Value", out _));
        Assert.Equal(2, changed["theme"].GetProperty("SyncCount").GetInt64());
        Assert.Equal(0, (await kit.List(phone, "settings", lastSyncCount: 2)).GetProperty("Count").GetInt32());

        var described = await kit.Call(phone.Credentials, "GET", SyncKit.Dataset(phone, "settings"));
        Assert.Equal(200, described.Status);
        var dataset = described.Body.GetProperty("Dataset");
        Assert.Equal(1, dataset.GetProperty("NumRecords").GetInt64());
        Assert.Equal("volume".Length + "9".Length, dataset.GetProperty("DataStorage").GetInt64());

        var listed = await kit.Call(phone.Credentials, "GET", SyncKit.Path(phone.PoolId, phone.IdentityId, tail: "/datasets"));
        Assert.Equal(["settings"], listed.Body.GetProperty("Datasets").EnumerateArray().Select(d => d.GetProperty("DatasetName").GetString()));

        var usage = await kit.Call(phone.Credentials, "GET", SyncKit.Path(phone.PoolId, phone.IdentityId));
        Assert.Equal(200, usage.Status);
        Assert.Equal(1, usage.Body.GetProperty("IdentityUsage").GetProperty("DatasetCount").GetInt32());
    }

    [Fact]
    public async Task Records_page_in_the_order_of_their_sync_counts()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(device, "list", Enumerable.Range(0, 5).Select(i => SyncKit.Replace($"k{i}", $"v{i}", 0)).ToArray())).Status);
        Assert.Equal(200, (await kit.Update(device, "list", SyncKit.Replace("k0", "again", 1))).Status);

        var keys = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await kit.List(device, "list", extra: "&maxResults=2" + (next is null ? "" : "&nextToken=" + Uri.EscapeDataString(next)));
            keys.AddRange(page.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("Key").GetString()!));
            next = page.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
            pages++;
        }
        while (next is not null);
        Assert.Equal(["k1", "k2", "k3", "k4", "k0"], keys);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_stale_sync_count_is_a_conflict_and_nothing_of_the_request_is_applied()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(device, "game", SyncKit.Replace("level", "3", 0))).Status);

        // The other device still thinks level is new (count 0): the whole request is refused, its new record too.
        var stale = await kit.Update(device, "game", SyncKit.Replace("coins", "10", 0), SyncKit.Replace("level", "4", 0));
        Assert.Equal(409, stale.Status);
        Assert.Equal("ResourceConflictException", stale.ErrorType);
        Assert.Equal("ResourceConflictException", stale.Body.GetProperty("__type").GetString());
        Assert.Equal("Current SyncCount for: level is: 1", stale.Message);

        var records = SyncKit.ByKey((await kit.List(device, "game")).GetProperty("Records"));
        Assert.Equal(["level"], records.Keys);
        Assert.Equal("3", records["level"].GetProperty("Value").GetString());
        Assert.Equal(1, (await kit.List(device, "game")).GetProperty("DatasetSyncCount").GetInt64());
    }

    [Fact]
    public async Task Of_concurrent_writers_on_one_dataset_exactly_one_wins()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(device, "race", SyncKit.Replace("start", "1", 0))).Status);
        var session = (await kit.List(device, "race")).GetProperty("SyncSessionToken").GetString();

        // Eight devices synced at the same count each change the same record at once: whichever order the server takes
        // them in, one wins and every other one either read the dataset before that write committed (the conditional
        // update of the dataset's count refuses it) or after (its record's count is stale).
        var writes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => kit.Call(device.Credentials, "POST", SyncKit.Dataset(device, "race"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = session, ["RecordPatches"] = new[] { SyncKit.Replace("start", $"device{i}", 1) } })));

        var winner = Assert.Single(writes, w => w.Status == 200);
        Assert.All(writes.Where(w => w.Status != 200), w => Assert.Equal("ResourceConflictException", w.ErrorType));
        var after = await kit.List(device, "race");
        Assert.Equal(2, after.GetProperty("DatasetSyncCount").GetInt64());
        Assert.Equal(winner.Body.GetProperty("Records")[0].GetProperty("Value").GetString(),
            SyncKit.ByKey(after.GetProperty("Records"))["start"].GetProperty("Value").GetString());
    }

    [Fact]
    public async Task One_identity_is_refused_on_another_identitys_datasets_and_developer_credentials_reach_both()
    {
        var pool = await kit.Pool();
        var alice = await kit.NewDevice(pool);
        var bob = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(alice, "secrets", SyncKit.Replace("pin", "1234", 0))).Status);

        var read = await kit.Call(bob.Credentials, "GET", SyncKit.Records(alice, "secrets"));
        Assert.Equal(403, read.Status);
        Assert.Equal("NotAuthorizedException", read.ErrorType);
        Assert.Equal($"Access to Identity '{alice.IdentityId}' is forbidden.", read.Message);
        Assert.DoesNotContain("1234", read.Body.GetRawText());

        var write = await kit.Call(bob.Credentials, "POST", SyncKit.Dataset(alice, "secrets"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = "x", ["RecordPatches"] = new[] { SyncKit.Replace("pin", "0000", 1) } });
        Assert.Equal(403, write.Status);
        Assert.Equal(403, (await kit.Call(bob.Credentials, "DELETE", SyncKit.Dataset(alice, "secrets"))).Status);
        Assert.Equal(403, (await kit.Call(bob.Credentials, "GET", SyncKit.Path(alice.PoolId, alice.IdentityId, tail: "/datasets"))).Status);
        // Bob's own session token is no use on Alice's dataset either.
        var bobSession = (await kit.List(bob, "secrets")).GetProperty("SyncSessionToken").GetString();
        var withBobs = await kit.Call(SyncKit.Developer, "POST", SyncKit.Dataset(alice, "secrets"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = bobSession, ["RecordPatches"] = new[] { SyncKit.Replace("pin", "0000", 1) } });
        Assert.Equal(400, withBobs.Status);
        Assert.Equal("InvalidParameterException", withBobs.ErrorType);

        var records = SyncKit.ByKey((await kit.List(alice, "secrets", signer: SyncKit.Developer)).GetProperty("Records"));
        Assert.Equal("1234", records["pin"].GetProperty("Value").GetString());
    }

    [Fact]
    public async Task The_roles_policy_decides_as_IAM_does()
    {
        // The role may only read (ListRecords, DescribeDataset) its own identity's datasets.
        var readOnly = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-sync:ListRecords","cognito-sync:DescribeDataset"],"Resource":"arn:aws:cognito-sync:us-east-1:000000000000:identitypool/${cognito-identity.amazonaws.com:aud}/identity/${cognito-identity.amazonaws.com:sub}/*"}]}
            """;
        var pool = await kit.Pool(readOnly);
        var device = await kit.NewDevice(pool);
        var list = await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "profile"));
        Assert.Equal(200, list.Status);

        var write = await kit.Call(device.Credentials, "POST", SyncKit.Dataset(device, "profile"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = list.Body.GetProperty("SyncSessionToken").GetString(), ["RecordPatches"] = new[] { SyncKit.Replace("a", "b", 0) } });
        Assert.Equal(403, write.Status);
        Assert.Equal("AccessDeniedException", write.ErrorType);
        Assert.Contains("is not authorized to perform: cognito-sync:UpdateRecords on resource: arn:aws:cognito-sync:us-east-1:000000000000:identitypool/"
                        + device.PoolId + "/identity/" + device.IdentityId + "/dataset/profile", write.Message);
        Assert.Equal(0, (await kit.List(device, "profile")).GetProperty("DatasetSyncCount").GetInt64());
    }

    [Fact]
    public async Task A_change_of_the_roles_policies_through_IAM_applies_to_the_very_next_call()
    {
        // The role's policies are kept per instance for identity calls; IAM's changes through this instance forget them.
        var iam = server.Services.GetRequiredService<Dispatcher>();
        var developer = "login." + Guid.NewGuid().ToString("n")[..12];
        var poolId = (await kit.Identities.Pool(null, guests: false, developer: developer)).IdentityPoolId!;
        var roleName = PortalServer.Unique("sync-role");
        var roleArn = await kit.Identities.Role(poolId, "authenticated", roleName);
        await iam.Send(new PutRolePolicyRequest { RoleName = roleName, PolicyName = "sync", PolicyDocument = SyncKit.PerIdentityPolicy });
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = poolId, Roles = new() { ["authenticated"] = roleArn } });
        var device = await kit.NewDevice((poolId, developer));
        Assert.Equal(200, (await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "profile"))).Status);

        // The policy replaced by one that only reads: the write is refused at once, the read still allowed.
        var readOnly = SyncKit.PerIdentityPolicy.Replace("\"cognito-sync:*\"", "\"cognito-sync:ListRecords\"", StringComparison.Ordinal);
        await iam.Send(new PutRolePolicyRequest { RoleName = roleName, PolicyName = "sync", PolicyDocument = readOnly });
        var list = await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "profile"));
        Assert.Equal(200, list.Status);
        var write = await kit.Call(device.Credentials, "POST", SyncKit.Dataset(device, "profile"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = list.Body.GetProperty("SyncSessionToken").GetString(), ["RecordPatches"] = new[] { SyncKit.Replace("a", "b", 0) } });
        Assert.Equal("AccessDeniedException", write.ErrorType);

        // The policy deleted: nothing is allowed any more.
        await iam.Send(new DeleteRolePolicyRequest { RoleName = roleName, PolicyName = "sync" });
        Assert.Equal("AccessDeniedException", (await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "profile"))).ErrorType);

        // A managed policy attached allows again at once; detached, it no longer does.
        var managed = (await iam.Send(new CreatePolicyRequest { PolicyName = PortalServer.Unique("sync-policy"), PolicyDocument = SyncKit.PerIdentityPolicy })).Policy!.Arn!;
        await iam.Send(new AttachRolePolicyRequest { RoleName = roleName, PolicyArn = managed });
        Assert.Equal(200, (await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "profile"))).Status);
        await iam.Send(new DetachRolePolicyRequest { RoleName = roleName, PolicyArn = managed });
        Assert.Equal("AccessDeniedException", (await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "profile"))).ErrorType);
    }

    [Fact]
    public async Task Pool_level_calls_need_developer_credentials_and_the_configuration_is_stored_as_given()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);
        var configuration = SyncKit.Path(pool.PoolId, tail: "/configuration");
        var refused = await kit.Call(device.Credentials, "GET", configuration);
        Assert.Equal(403, refused.Status);
        Assert.Equal("NotAuthorizedException", refused.ErrorType);
        Assert.Equal(403, (await kit.Call(device.Credentials, "GET", SyncKit.Path(pool.PoolId))).Status);
        Assert.Equal(403, (await kit.Call(device.Credentials, "GET", "/identitypools")).Status);

        var set = await kit.Call(SyncKit.Developer, "POST", configuration, new Dictionary<string, object>
        {
            ["CognitoStreams"] = new Dictionary<string, string> { ["StreamName"] = "sync-stream", ["RoleArn"] = "arn:aws:iam::000000000000:role/streams", ["StreamingStatus"] = "ENABLED" },
            ["PushSync"] = new Dictionary<string, object> { ["ApplicationArns"] = new[] { "arn:aws:sns:us-east-1:000000000000:app/GCM/my-app" }, ["RoleArn"] = "arn:aws:iam::000000000000:role/push" },
        });
        Assert.Equal(200, set.Status);
        var got = await kit.Call(SyncKit.Developer, "GET", configuration);
        Assert.Equal(pool.PoolId, got.Body.GetProperty("IdentityPoolId").GetString());
        Assert.Equal("sync-stream", got.Body.GetProperty("CognitoStreams").GetProperty("StreamName").GetString());
        Assert.Equal("ENABLED", got.Body.GetProperty("CognitoStreams").GetProperty("StreamingStatus").GetString());
        Assert.Equal("arn:aws:sns:us-east-1:000000000000:app/GCM/my-app", got.Body.GetProperty("PushSync").GetProperty("ApplicationArns")[0].GetString());

        var events = SyncKit.Path(pool.PoolId, tail: "/events");
        Assert.Equal(200, (await kit.Call(SyncKit.Developer, "POST", events,
            new { Events = new Dictionary<string, string> { ["SyncTrigger"] = "arn:aws:lambda:us-east-1:000000000000:function:sync" } })).Status);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:sync",
            (await kit.Call(SyncKit.Developer, "GET", events)).Body.GetProperty("Events").GetProperty("SyncTrigger").GetString());
        var unknown = await kit.Call(SyncKit.Developer, "POST", events, new { Events = new Dictionary<string, string> { ["OnDelete"] = "x" } });
        Assert.Equal("InvalidParameterException", unknown.ErrorType);
        // SyncTrigger runs on UpdateRecords now, and this ARN names no function: removed before the device writes.
        Assert.Equal(200, (await kit.Call(SyncKit.Developer, "POST", events, new { Events = new Dictionary<string, string> { ["SyncTrigger"] = "" } })).Status);

        Assert.Equal(200, (await kit.Update(device, "usage", SyncKit.Replace("key", "value", 0))).Status);
        var usage = (await kit.Call(SyncKit.Developer, "GET", SyncKit.Path(pool.PoolId))).Body.GetProperty("IdentityPoolUsage");
        Assert.Equal(8, usage.GetProperty("DataStorage").GetInt64());
        Assert.Equal(1, usage.GetProperty("SyncSessionsCount").GetInt64());
        var all = await kit.Call(SyncKit.Developer, "GET", "/identitypools?maxResults=60");
        Assert.Equal(200, all.Status);

        var missing = await kit.Call(SyncKit.Developer, "GET", SyncKit.Path("us-east-1:00000000-0000-0000-0000-000000000000", tail: "/configuration"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("ResourceNotFoundException", missing.ErrorType);
    }

    [Fact]
    public async Task Unsigned_and_wrongly_scoped_requests_are_refused()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);
        var unsigned = await kit.Call(null, "GET", SyncKit.Records(device, "x"));
        Assert.Equal(403, unsigned.Status);
        Assert.Equal("MissingAuthenticationTokenException", unsigned.ErrorType);
        var otherService = await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "x"), service: "cognito-identity");
        Assert.Equal(403, otherService.Status);
        Assert.Equal("InvalidSignatureException", otherService.ErrorType);
    }

    [Fact]
    public async Task Limits_answer_with_Cognitos_errors_and_apply_nothing()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);

        for (var i = 0; i < 20; i++) Assert.Equal(200, (await kit.Update(device, $"set{i:D2}", SyncKit.Replace("k", "v", 0))).Status);
        var twentyFirst = await kit.Update(device, "set20", SyncKit.Replace("k", "v", 0));
        Assert.Equal(400, twentyFirst.Status);
        Assert.Equal("LimitExceededException", twentyFirst.ErrorType);
        Assert.False((await kit.List(device, "set20")).GetProperty("DatasetExists").GetBoolean());

        var many = Enumerable.Range(0, 1025).Select(i => SyncKit.Replace($"r{i}", "v", 0)).ToArray();
        var tooMany = await kit.Update(device, "set00", many);
        Assert.Equal("LimitExceededException", tooMany.ErrorType);
        Assert.Equal(1, (await kit.List(device, "set00")).GetProperty("Count").GetInt32());
        Assert.Equal(200, (await kit.Update(device, "set00", many[1..1024])).Status);
        Assert.Equal(1024, (await kit.Call(device.Credentials, "GET", SyncKit.Dataset(device, "set00"))).Body.GetProperty("Dataset").GetProperty("NumRecords").GetInt64());

        var big = new string('x', 600_000);
        Assert.Equal(200, (await kit.Update(device, "set01", SyncKit.Replace("a", big, 0))).Status);
        var overMegabyte = await kit.Update(device, "set01", SyncKit.Replace("b", big, 0));
        Assert.Equal("LimitExceededException", overMegabyte.ErrorType);
        // "k"="v" from the first loop, and "a" with its value.
        Assert.Equal(2 + 1 + 600_000, (await kit.Call(device.Credentials, "GET", SyncKit.Dataset(device, "set01"))).Body.GetProperty("Dataset").GetProperty("DataStorage").GetInt64());

        var badName = await kit.Call(device.Credentials, "GET", SyncKit.Records(device, "bad name!"));
        Assert.Equal(400, badName.Status);
        Assert.Equal("InvalidParameterException", badName.ErrorType);
        var longName = await kit.Call(device.Credentials, "GET", SyncKit.Records(device, new string('n', 129)));
        Assert.Equal("InvalidParameterException", longName.ErrorType);
        var longKey = await kit.Update(device, "set02", SyncKit.Replace(new string('k', 1025), "v", 0));
        Assert.Equal("InvalidParameterException", longKey.ErrorType);
        var twice = await kit.Update(device, "set02", SyncKit.Replace("k", "1", 1), SyncKit.Replace("k", "2", 1));
        Assert.Equal("InvalidParameterException", twice.ErrorType);
        var badToken = await kit.Call(device.Credentials, "POST", SyncKit.Dataset(device, "set02"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = "forged", ["RecordPatches"] = new[] { SyncKit.Replace("k", "v", 1) } });
        Assert.Equal("InvalidParameterException", badToken.ErrorType);
        Assert.Equal("v", SyncKit.ByKey((await kit.List(device, "set02")).GetProperty("Records"))["k"].GetProperty("Value").GetString());
    }

    [Fact]
    public async Task A_deleted_dataset_is_gone_for_every_device_and_made_again_it_counts_on()
    {
        var pool = await kit.Pool();
        var device = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(device, "notes", SyncKit.Replace("a", "1", 0))).Status);

        var deleted = await kit.Call(device.Credentials, "DELETE", SyncKit.Dataset(device, "notes"));
        Assert.Equal(200, deleted.Status);
        Assert.Equal("notes", deleted.Body.GetProperty("Dataset").GetProperty("DatasetName").GetString());
        var described = await kit.Call(device.Credentials, "GET", SyncKit.Dataset(device, "notes"));
        Assert.Equal(404, described.Status);
        Assert.Equal("ResourceNotFoundException", described.ErrorType);

        var synced = await kit.List(device, "notes", lastSyncCount: 1);
        Assert.False(synced.GetProperty("DatasetExists").GetBoolean());
        Assert.True(synced.GetProperty("DatasetDeletedAfterRequestedSyncCount").GetBoolean());
        Assert.Equal(0, synced.GetProperty("Count").GetInt32());

        Assert.Equal(200, (await kit.Update(device, "notes", SyncKit.Replace("b", "2", 0))).Status);
        var again = await kit.List(device, "notes");
        Assert.Equal(3, again.GetProperty("DatasetSyncCount").GetInt64());
        Assert.Equal(["b"], SyncKit.ByKey(again.GetProperty("Records")).Keys);
    }

    [Fact]
    public async Task Merging_developer_identities_merges_their_datasets_as_Cognito_names_them()
    {
        var pool = await kit.Pool();
        var phone = await kit.NewDevice(pool, "merge-dest-" + Guid.NewGuid().ToString("n")[..6]);
        var tablet = await kit.NewDevice(pool, "merge-src-" + Guid.NewGuid().ToString("n")[..6]);
        Assert.Equal(200, (await kit.Update(phone, "settings", SyncKit.Replace("theme", "dark", 0))).Status);
        Assert.Equal(200, (await kit.Update(tablet, "settings", SyncKit.Replace("theme", "light", 0), SyncKit.Replace("font", "big", 0))).Status);

        var merged = await kit.Admin.Send(new MergeDeveloperIdentitiesRequest
        {
            IdentityPoolId = pool.PoolId, DeveloperProviderName = pool.Developer, SourceUserIdentifier = tablet.UserId, DestinationUserIdentifier = phone.UserId,
        });
        Assert.Equal(phone.IdentityId, merged.IdentityId);

        var name = $"settings.{tablet.IdentityId}";
        var settings = await kit.List(phone, "settings");
        Assert.Equal([name], settings.GetProperty("MergedDatasetNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("dark", SyncKit.ByKey(settings.GetProperty("Records"))["theme"].GetProperty("Value").GetString());
        var fromTablet = SyncKit.ByKey((await kit.List(phone, name)).GetProperty("Records"));
        Assert.Equal("light", fromTablet["theme"].GetProperty("Value").GetString());
        Assert.Equal("big", fromTablet["font"].GetProperty("Value").GetString());

        // The app folds the merged dataset in and deletes it: the merged name is then gone from the list.
        Assert.Equal(200, (await kit.Call(phone.Credentials, "DELETE", SyncKit.Dataset(phone, name))).Status);
        Assert.Empty((await kit.List(phone, "settings")).GetProperty("MergedDatasetNames").EnumerateArray());
    }
}
