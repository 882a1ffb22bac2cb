using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Sync.Streams;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>Cognito Streams into a real Kinesis-compatible server (kinesalite): every committed change of a pool with an
/// ENABLED stream arrives as the record Cognito Streams documents, partitioned by identity; a disabled stream and a refused
/// update send nothing; changes made while the stream is down, or before Portal restarts, arrive afterwards; BulkPublish
/// publishes every dataset once, one at a time, with its status.</summary>
public sealed class StreamsTests(StreamsFixture fixture) : IClassFixture<StreamsFixture>
{
    const string Role = "arn:aws:iam::000000000000:role/cognito-streams";
    StreamsServer Server => fixture.Server;

    static async Task Streams(SyncKit kit, string poolId, string stream, string status = "ENABLED")
    {
        var set = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(poolId, tail: "/configuration"), new Dictionary<string, object>
        {
            ["CognitoStreams"] = new Dictionary<string, string> { ["StreamName"] = stream, ["RoleArn"] = Role, ["StreamingStatus"] = status },
        });
        Assert.True(set.Status == 200, $"SetIdentityPoolConfiguration answered {set.Status} {set.ErrorType}: {set.Message}");
    }

    /// <summary>GetBulkPublishDetails until its status is <paramref name="status"/> (30 s at most), between the publisher's rounds.</summary>
    Task<JsonElement> BulkPublishUntil(SyncKit kit, string poolId, string status) => BulkPublishUntil(Server, kit, poolId, status);

    static async Task<JsonElement> BulkPublishUntil(StreamsServer server, SyncKit kit, string poolId, string status)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var details = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(poolId, tail: "/getBulkPublishDetails"));
            Assert.Equal(200, details.Status);
            if (details.Body.GetProperty("BulkPublishStatus").GetString() == status) return details.Body;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"The bulk publish is {details.Body.GetRawText()} after 30 s, not {status}.");
            await server.NextRound();
        }
    }

    [Fact]
    public async Task Every_committed_change_arrives_in_the_documented_shape_and_a_disabled_stream_or_a_refused_update_sends_nothing()
    {
        var kit = new SyncKit(Server);
        var stream = PortalServer.Unique("changes");
        await Server.CreateStream(stream);
        var pool = await kit.Pool();
        await Streams(kit, pool.PoolId, stream);
        var quiet = await kit.Pool();
        await Streams(kit, quiet.PoolId, stream, "DISABLED");
        var phone = await kit.NewDevice(pool);
        var other = await kit.NewDevice(quiet);

        var edited = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.Equal(200, (await kit.Update(phone, "settings", SyncKit.Replace("theme", "dark", 0, edited), SyncKit.Replace("volume", "7", 0))).Status);
        Assert.Equal(200, (await kit.Update(other, "settings", SyncKit.Replace("theme", "light", 0))).Status);
        // A stale SyncCount: the update is refused, and so is its record.
        Assert.Equal(409, (await kit.Update(phone, "settings", SyncKit.Replace("theme", "blue", 0))).Status);
        Assert.Equal(200, (await kit.Update(phone, "settings", SyncKit.Remove("theme", 1))).Status);

        var records = await Server.ReadUntil(stream, pool.PoolId, r => r.Count >= 2);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(phone.IdentityId, r.PartitionKey));

        var first = records[0].Data;
        Assert.Equal(pool.PoolId, first.GetProperty("identityPoolId").GetString());
        Assert.Equal(phone.IdentityId, first.GetProperty("identityId").GetString());
        Assert.Equal("settings", first.GetProperty("dataSetName").GetString());
        Assert.Equal("replace", first.GetProperty("operation").GetString());
        Assert.Equal("Inline", first.GetProperty("payloadType").GetString());
        Assert.Equal(1, first.GetProperty("syncCount").GetInt64());
        Assert.True(first.GetProperty("lastModifiedDate").GetInt64() > 1_700_000_000_000);
        var written = first.GetProperty("kinesisSyncRecords").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(["theme", "volume"], written.Keys.Order());
        Assert.Equal("dark", written["theme"].GetProperty("value").GetString());
        Assert.Equal(1, written["theme"].GetProperty("syncCount").GetInt64());
        Assert.Equal("replace", written["theme"].GetProperty("op").GetString());
        Assert.Equal(1_700_000_000_000, written["theme"].GetProperty("deviceLastModifiedDate").GetInt64());
        Assert.True(written["volume"].GetProperty("lastModifiedDate").GetInt64() > 1_700_000_000_000);

        var second = records[1].Data;
        Assert.Equal(2, second.GetProperty("syncCount").GetInt64());
        Assert.Equal("remove", second.GetProperty("operation").GetString());
        var removed = Assert.Single(second.GetProperty("kinesisSyncRecords").EnumerateArray());
        Assert.Equal("theme", removed.GetProperty("key").GetString());
        Assert.Equal("remove", removed.GetProperty("op").GetString());
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("value").ValueKind);
        Assert.Equal(2, removed.GetProperty("syncCount").GetInt64());

        // The disabled pool's change never entered the outbox nor the stream; the enabled pool's outbox is empty (acknowledged).
        Assert.Empty(await Server.Outbox(quiet.PoolId));
        Assert.DoesNotContain(await Server.Read(stream), r => r.Data.GetProperty("identityPoolId").GetString() == quiet.PoolId);
        await Server.OutboxUntil(pool.PoolId, rows => rows.Count == 0);
        // Deleting the dataset is a change too: operation remove, each live record removed, at the deletion's sync count.
        Assert.Equal(200, (await kit.Call(phone.Credentials, "DELETE", SyncKit.Dataset(phone, "settings"))).Status);
        var deleted = (await Server.ReadUntil(stream, pool.PoolId, r => r.Count >= 3))[2].Data;
        Assert.Equal("remove", deleted.GetProperty("operation").GetString());
        Assert.Equal(3, deleted.GetProperty("syncCount").GetInt64());
        var gone = Assert.Single(deleted.GetProperty("kinesisSyncRecords").EnumerateArray());
        Assert.Equal("volume", gone.GetProperty("key").GetString());
        Assert.Equal("remove", gone.GetProperty("op").GetString());
    }

    [Fact]
    public async Task Changes_made_while_the_stream_is_down_all_arrive_once_it_is_back()
    {
        var kit = new SyncKit(Server);
        var stream = PortalServer.Unique("outage");
        await Server.CreateStream(stream);
        var pool = await kit.Pool();
        await Streams(kit, pool.PoolId, stream);
        var phone = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(phone, "game", SyncKit.Replace("level", "1", 0))).Status);
        await Server.ReadUntil(stream, pool.PoolId, r => r.Count == 1);

        fixture.Kinesis.Stop();
        try
        {
            Assert.Equal(200, (await kit.Update(phone, "game", SyncKit.Replace("level", "2", 1))).Status);
            Assert.Equal(200, (await kit.Update(phone, "game", SyncKit.Replace("level", "3", 2))).Status);
            Assert.Equal(200, (await kit.Update(phone, "scores", SyncKit.Replace("best", "99", 0))).Status);
            // The publisher tried, failed, and keeps the records with the error for the next attempt.
            var waiting = await Server.OutboxUntil(pool.PoolId, rows => rows.Count == 3 && rows.All(r => r.Attempts >= 2));
            Assert.All(waiting, r => Assert.Contains("Kinesis could not be reached", r.LastError, StringComparison.Ordinal));
        }
        finally
        {
            fixture.Kinesis.Start();
        }

        var records = await Server.ReadUntil(stream, pool.PoolId, r => r.Count >= 4);
        Assert.Equal(["game:1", "game:2", "game:3", "scores:1"],
            records.Select(r => $"{r.Data.GetProperty("dataSetName").GetString()}:{r.Data.GetProperty("syncCount").GetInt64()}").Order());
        Assert.Equal(["1", "2", "3"], records.Where(r => r.Data.GetProperty("dataSetName").GetString() == "game")
            .Select(r => r.Data.GetProperty("kinesisSyncRecords")[0].GetProperty("value").GetString()));
        await Server.OutboxUntil(pool.PoolId, rows => rows.Count == 0);
    }

    [Fact]
    public async Task A_Portal_restarted_with_undelivered_records_delivers_them()
    {
        var stream = PortalServer.Unique("restart");
        await Server.CreateStream(stream);
        // The first Portal's Kinesis endpoint answers nothing (a port nobody listens on).
        var folder = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));
        string poolId, identityId;
        using (var first = new StreamsServer($"http://127.0.0.1:{PortalServer.FreePort()}", folder))
        {
            var kit = new SyncKit(first);
            var pool = await kit.Pool();
            poolId = pool.PoolId;
            await Streams(kit, poolId, stream);
            var phone = await kit.NewDevice(pool);
            identityId = phone.IdentityId;
            Assert.Equal(200, (await kit.Update(phone, "profile", SyncKit.Replace("name", "Ada", 0))).Status);
            Assert.Equal(200, (await kit.Update(phone, "profile", SyncKit.Replace("name", "Ada L.", 1))).Status);
            await first.OutboxUntil(poolId, rows => rows.Count == 2 && rows.All(r => r.Attempts >= 1));
        }

        using var second = new StreamsServer(fixture.Kinesis.Endpoint, folder);
        var records = await second.ReadUntil(stream, poolId, r => r.Count >= 2);
        Assert.Equal([1L, 2L], records.Select(r => r.Data.GetProperty("syncCount").GetInt64()).Order());
        Assert.All(records, r => Assert.Equal(identityId, r.PartitionKey));
        await second.OutboxUntil(poolId, rows => rows.Count == 0);
    }

    [Fact]
    public async Task BulkPublish_publishes_every_dataset_once_one_at_a_time_with_its_status()
    {
        var kit = new SyncKit(Server);
        var stream = PortalServer.Unique("bulk");
        await Server.CreateStream(stream);
        var pool = await kit.Pool();
        var details = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/getBulkPublishDetails"));
        Assert.Equal("NOT_STARTED", details.Body.GetProperty("BulkPublishStatus").GetString());
        // A pool without an enabled stream cannot bulk publish.
        var refused = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/bulkpublish"));
        Assert.Equal("InvalidParameterException", refused.ErrorType);

        // Datasets written before the stream was enabled: nothing was streamed for them.
        await Streams(kit, pool.PoolId, stream, "DISABLED");
        var ann = await kit.NewDevice(pool);
        var bob = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(ann, "settings", SyncKit.Replace("theme", "dark", 0))).Status);
        Assert.Equal(200, (await kit.Update(ann, "settings", SyncKit.Replace("theme", "light", 1), SyncKit.Replace("font", "big", 0))).Status);
        Assert.Equal(200, (await kit.Update(ann, "scores", SyncKit.Replace("best", "10", 0))).Status);
        Assert.Equal(200, (await kit.Update(bob, "settings", SyncKit.Replace("theme", "blue", 0))).Status);
        await Streams(kit, pool.PoolId, stream);

        var started = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/bulkpublish"));
        Assert.True(started.Status == 200, $"BulkPublish answered {started.Status} {started.ErrorType}: {started.Message}");
        Assert.Equal(pool.PoolId, started.Body.GetProperty("IdentityPoolId").GetString());

        var records = await Server.ReadUntil(stream, pool.PoolId, r => r.Count >= 3);
        var byDataset = records.ToDictionary(r => $"{r.PartitionKey}/{r.Data.GetProperty("dataSetName").GetString()}", r => r.Data);
        Assert.Equal(3, records.Count);
        Assert.Equal(new[] { $"{ann.IdentityId}/scores", $"{ann.IdentityId}/settings", $"{bob.IdentityId}/settings" }.Order(), byDataset.Keys.Order());
        var annSettings = byDataset[$"{ann.IdentityId}/settings"];
        Assert.Equal(2, annSettings.GetProperty("syncCount").GetInt64());
        Assert.Equal(["font=big", "theme=light"], annSettings.GetProperty("kinesisSyncRecords").EnumerateArray()
            .Select(r => $"{r.GetProperty("key").GetString()}={r.GetProperty("value").GetString()}").Order());

        var done = await BulkPublishUntil(kit, pool.PoolId, "SUCCEEDED");
        Assert.True(done.GetProperty("BulkPublishCompleteTime").GetDouble() >= done.GetProperty("BulkPublishStartTime").GetDouble());
        // Once it succeeded, another one within 24 hours is refused, as on AWS.
        Assert.Equal("AlreadyStreamedException", (await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/bulkpublish"))).ErrorType);
    }

    [Fact]
    public async Task A_second_BulkPublish_while_one_runs_is_a_DuplicateRequestException_and_one_that_keeps_failing_is_FAILED()
    {
        var kit = new SyncKit(Server);
        var pool = await kit.Pool();
        var phone = await kit.NewDevice(pool);
        await Streams(kit, pool.PoolId, PortalServer.Unique("disabled-first"), "DISABLED");
        Assert.Equal(200, (await kit.Update(phone, "settings", SyncKit.Replace("theme", "dark", 0))).Status);
        // The stream named does not exist in Kinesis: every attempt is refused with ResourceNotFoundException.
        await Streams(kit, pool.PoolId, PortalServer.Unique("no-such-stream"));

        Assert.Equal(200, (await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/bulkpublish"))).Status);
        var again = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/bulkpublish"));
        Assert.Equal(400, again.Status);
        Assert.Equal("DuplicateRequestException", again.ErrorType);

        var details = await BulkPublishUntil(kit, pool.PoolId, "FAILED");
        // Its records are dropped with it.
        Assert.Empty(await Server.Outbox(pool.PoolId));
        Assert.Contains("ResourceNotFoundException", details.GetProperty("FailureMessage").GetString(), StringComparison.Ordinal);
        Assert.True(details.TryGetProperty("BulkPublishStartTime", out _));
    }

    [Fact]
    public async Task A_change_too_large_for_one_Kinesis_record_goes_as_S3Url_with_an_unguessable_expiring_link_to_its_records()
    {
        // Its own Portal: the test moves its clock past the link's expiry.
        using var server = new StreamsServer(fixture.Kinesis.Endpoint);
        var kit = new SyncKit(server);
        var stream = PortalServer.Unique("large");
        await server.CreateStream(stream);
        var pool = await kit.Pool();
        await Streams(kit, pool.PoolId, stream);
        var phone = await kit.NewDevice(pool);

        // 1,024 records of 940 bytes: the dataset (945 KB) and the request (under 1 MB) are within Cognito's limits, but with
        // each record's dates and sync count the change's stream record would be about 1.09 MB, over Kinesis's 1 MB.
        var big = new string('x', 940);
        var patches = Enumerable.Range(0, 1024).Select(i => (object)new Dictionary<string, object?>
        {
            ["Op"] = "replace", ["Key"] = $"k{i:0000}", ["Value"] = big, ["SyncCount"] = 0L,
        }).ToArray();
        var answer = await kit.Update(phone, "album", patches);
        Assert.True(answer.Status == 200, $"UpdateRecords answered {answer.Status} {answer.ErrorType}: {answer.Message}");
        Assert.Equal(200, (await kit.Update(phone, "small", SyncKit.Replace("k", "v", 0))).Status);

        var records = await server.ReadUntil(stream, pool.PoolId, r => r.Count >= 2);
        Assert.Equal(2, records.Count);
        var large = Assert.Single(records, r => r.Data.GetProperty("dataSetName").GetString() == "album").Data;
        Assert.Equal("S3Url", large.GetProperty("payloadType").GetString());
        Assert.Equal(JsonValueKind.Null, large.GetProperty("kinesisSyncRecords").ValueKind);
        Assert.Equal("replace", large.GetProperty("operation").GetString());
        Assert.Equal(1, large.GetProperty("syncCount").GetInt64());
        Assert.Equal(phone.IdentityId, large.GetProperty("identityId").GetString());
        var url = large.GetProperty("kinesisSyncRecordsURL").GetString()!;
        Assert.StartsWith(server.BaseUrl + "/sync/streams/records/", url, StringComparison.Ordinal);
        Assert.True(url.Length - (server.BaseUrl + "/sync/streams/records/").Length >= 43, $"The link's token is too short to be unguessable: {url}");
        // The small change on the same stream stays inline.
        var small = Assert.Single(records, r => r.Data.GetProperty("dataSetName").GetString() == "small").Data;
        Assert.Equal("Inline", small.GetProperty("payloadType").GetString());
        Assert.Equal(JsonValueKind.Null, small.GetProperty("kinesisSyncRecordsURL").ValueKind);

        // The link answers the records to anyone holding it, without credentials, as a presigned S3 URL does.
        using var http = new HttpClient();
        using (var got = await http.GetAsync(new Uri(url)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, got.StatusCode);
            using var json = JsonDocument.Parse(await got.Content.ReadAsStringAsync());
            var linked = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(0, 1024).Select(i => $"k{i:0000}"), linked.Select(r => r.GetProperty("key").GetString()));
            Assert.All(linked, r =>
            {
                Assert.Equal(big, r.GetProperty("value").GetString());
                Assert.Equal("replace", r.GetProperty("op").GetString());
                Assert.Equal(1, r.GetProperty("syncCount").GetInt64());
                Assert.True(r.GetProperty("lastModifiedDate").GetInt64() > 1_700_000_000_000);
            });
        }
        using (var guessed = await http.GetAsync(new Uri(url[..^4] + (url.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"))))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, guessed.StatusCode);

        // A day later (the default Portal:Sync:Kinesis:LargeRecordLinkHours) the link has expired.
        server.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using (var expired = await http.GetAsync(new Uri(url)))
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public async Task A_BulkPublish_interrupted_by_a_restart_resumes_in_batches_and_publishes_every_dataset_once()
    {
        var stream = PortalServer.Unique("bulk-restart");
        await Server.CreateStream(stream);
        var folder = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));
        var settings = new Dictionary<string, string?>
        {
            ["Portal:Sync:Kinesis:BulkPublishBatchSize"] = "2",
            ["Portal:Sync:Kinesis:BulkPublishAttempts"] = "1000",
        };
        string poolId;
        var expected = new List<string>();
        // The first Portal's Kinesis endpoint answers nothing: its bulk publish stops after its first batch.
        using (var first = new StreamsServer($"http://127.0.0.1:{PortalServer.FreePort()}", folder, settings))
        {
            var kit = new SyncKit(first);
            var pool = await kit.Pool();
            poolId = pool.PoolId;
            await Streams(kit, poolId, stream, "DISABLED");
            for (var i = 0; i < 3; i++)
            {
                var device = await kit.NewDevice(pool);
                foreach (var dataset in i == 1 ? ["settings"] : new[] { "settings", "scores" })
                {
                    Assert.Equal(200, (await kit.Update(device, dataset, SyncKit.Replace("k", $"{i}-{dataset}", 0))).Status);
                    expected.Add($"{device.IdentityId}/{dataset}");
                }
            }
            await Streams(kit, poolId, stream);
            Assert.Equal(200, (await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(poolId, tail: "/bulkpublish"))).Status);

            var waiting = await first.OutboxUntil(poolId, rows => rows.Count > 0 && rows.All(r => r.Attempts >= 1));
            Assert.Equal(2, waiting.Count);
            Assert.All(waiting, r => Assert.True(r.Bulk));
            var details = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(poolId, tail: "/getBulkPublishDetails"));
            Assert.Equal("IN_PROGRESS", details.Body.GetProperty("BulkPublishStatus").GetString());
            var status = await first.Db(db => db.Set<SyncStreamStatusRow>().SingleAsync(s => s.IdentityPoolId == poolId));
            Assert.False(status.BulkPublishEnqueued);
            Assert.NotNull(status.BulkPublishCursorIdentityId);
        }

        using var second = new StreamsServer(fixture.Kinesis.Endpoint, folder, settings);
        var secondKit = new SyncKit(second);
        var done = await BulkPublishUntil(second, secondKit, poolId, "SUCCEEDED");
        Assert.True(done.GetProperty("BulkPublishCompleteTime").GetDouble() >= done.GetProperty("BulkPublishStartTime").GetDouble());
        var records = await second.ReadUntil(stream, poolId, r => r.Count >= expected.Count);
        // Every dataset once: none lost in the restart, none put in twice.
        Assert.Equal(expected.Order(), records.Select(r => $"{r.PartitionKey}/{r.Data.GetProperty("dataSetName").GetString()}").Order());
        Assert.All(records, r => Assert.Equal("Inline", r.Data.GetProperty("payloadType").GetString()));
        await second.OutboxUntil(poolId, rows => rows.Count == 0);
    }
}
