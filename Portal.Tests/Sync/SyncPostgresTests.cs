using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>Portal on PostgreSQL (a throwaway cluster, or PORTAL_TEST_POSTGRES) for the Cognito Sync store's core cases.</summary>
public sealed class PostgresSyncServer : PortalServer
{
    protected override bool OnPostgres => true;
}

[CollectionDefinition(Name)]
public sealed class PostgresSyncCollection : ICollectionFixture<PostgresSyncServer>
{
    public const string Name = "sync-postgres";
}

/// <summary>The store's guarantees, asserted over the wire as devices meet them: a stale SyncCount is a conflict with
/// nothing applied; of devices writing one dataset at the same count exactly one wins and nothing of the others is
/// written (the dataset's count moves by a conditional update); the 20-dataset limit holds when devices create datasets
/// at once. Run on PostgreSQL and on SQLite.</summary>
public abstract class SyncStoreCases(PortalServer server)
{
    readonly SyncKit kit = new(server);

    [Fact]
    public async Task A_stale_sync_count_conflicts_and_nothing_of_the_patch_is_applied()
    {
        var device = await kit.NewDevice(await kit.Pool());
        Assert.Equal(200, (await kit.Update(device, "game", SyncKit.Replace("level", "3", 0))).Status);

        var stale = await kit.Update(device, "game", SyncKit.Replace("coins", "10", 0), SyncKit.Replace("level", "4", 0));
        Assert.Equal(409, stale.Status);
        Assert.Equal("ResourceConflictException", stale.ErrorType);
        Assert.Equal("Current SyncCount for: level is: 1", stale.Message);

        var after = await kit.List(device, "game");
        Assert.Equal(1, after.GetProperty("DatasetSyncCount").GetInt64());
        var records = SyncKit.ByKey(after.GetProperty("Records"));
        Assert.Equal(["level"], records.Keys);
        Assert.Equal("3", records["level"].GetProperty("Value").GetString());
    }

    /// <summary>The records' dates are written by one upsert statement, not by EF's change tracking: what UpdateRecords
    /// answers is what ListRecords reads back, to the millisecond, new records, replaced ones and removed ones alike.</summary>
    [Fact]
    public async Task Record_dates_answered_by_UpdateRecords_read_back_exactly_through_ListRecords()
    {
        var device = await kit.NewDevice(await kit.Pool());
        static object Patch(string op, string key, string? value, long count, object? at) => new Dictionary<string, object?>
        {
            ["Op"] = op, ["Key"] = key, ["Value"] = value, ["SyncCount"] = count, ["DeviceLastModifiedDate"] = at,
        };
        var first = await kit.Update(device, "dates", Patch("replace", "a", "1", 0, 1_700_000_000.125), Patch("replace", "b", "2", 0, 1_600_000_000.5),
            Patch("replace", "c", "3", 0, null), Patch("replace", "d", "4", 0, "2026-03-01T12:00:00.250+02:00"));
        Assert.Equal(200, first.Status);
        var second = await kit.Update(device, "dates", Patch("replace", "a", "1b", 1, 1_700_000_100.75), Patch("remove", "b", null, 1, 1_700_000_200));
        Assert.Equal(200, second.Status);

        var answered = SyncKit.ByKey(first.Body.GetProperty("Records"));
        foreach (var (key, record) in SyncKit.ByKey(second.Body.GetProperty("Records"))) answered[key] = record;
        Assert.Equal(1_700_000_100.75, answered["a"].GetProperty("DeviceLastModifiedDate").GetDouble());
        Assert.Equal(1_700_000_200, answered["b"].GetProperty("DeviceLastModifiedDate").GetDouble());
        Assert.Equal(answered["c"].GetProperty("LastModifiedDate").GetDouble(), answered["c"].GetProperty("DeviceLastModifiedDate").GetDouble());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, 250, TimeSpan.Zero).ToUnixTimeMilliseconds() / 1000.0,
            answered["d"].GetProperty("DeviceLastModifiedDate").GetDouble());

        var listed = SyncKit.ByKey((await kit.List(device, "dates")).GetProperty("Records"));
        Assert.Equal(["a", "b", "c", "d"], listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, record) in listed)
        {
            foreach (var member in new[] { "LastModifiedDate", "DeviceLastModifiedDate", "SyncCount" })
                Assert.True(answered[key].GetProperty(member).GetDouble() == record.GetProperty(member).GetDouble(),
                    $"{key}.{member}: answered {answered[key].GetProperty(member)}, listed {record.GetProperty(member)}");
            Assert.Equal(answered[key].GetProperty("LastModifiedBy").GetString(), record.GetProperty("LastModifiedBy").GetString());
        }
        Assert.False(listed["b"].TryGetProperty("Value", out _));
        Assert.Equal("1b", listed["a"].GetProperty("Value").GetString());
        // The dataset's own dates are EF's: its LastModifiedDate is the second update's.
        var dataset = await kit.Call(device.Credentials, "GET", SyncKit.Dataset(device, "dates"));
        Assert.Equal(answered["a"].GetProperty("LastModifiedDate").GetDouble(), dataset.Body.GetProperty("Dataset").GetProperty("LastModifiedDate").GetDouble());
    }

    [Fact]
    public async Task Of_devices_writing_one_dataset_at_the_same_count_one_wins_and_nothing_of_the_others_is_written()
    {
        var device = await kit.NewDevice(await kit.Pool());
        Assert.Equal(200, (await kit.Update(device, "race", SyncKit.Replace("start", "1", 0))).Status);
        for (var round = 0; round < 3; round++)
        {
            var before = await kit.List(device, "race");
            var count = before.GetProperty("DatasetSyncCount").GetInt64();
            var startCount = SyncKit.ByKey(before.GetProperty("Records"))["start"].GetProperty("SyncCount").GetInt64();
            var session = before.GetProperty("SyncSessionToken").GetString();

            // Each device changes the shared record and adds two of its own, all in one request.
            var writes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => kit.Call(device.Credentials, "POST", SyncKit.Dataset(device, "race"),
                new Dictionary<string, object?>
                {
                    ["SyncSessionToken"] = session,
                    ["RecordPatches"] = new[]
                    {
                        SyncKit.Replace("start", $"r{round}-device{i}", startCount), SyncKit.Replace($"r{round}-a{i}", "a", 0), SyncKit.Replace($"r{round}-b{i}", "b", 0),
                    },
                })));

            var winner = Assert.Single(writes, w => w.Status == 200);
            Assert.All(writes.Where(w => w.Status != 200), w => Assert.Equal("ResourceConflictException", w.ErrorType));
            var won = winner.Body.GetProperty("Records")[0].GetProperty("Value").GetString()!;
            var device0 = won[(won.IndexOf("device", StringComparison.Ordinal) + "device".Length)..];

            var after = await kit.List(device, "race");
            Assert.Equal(count + 1, after.GetProperty("DatasetSyncCount").GetInt64());
            var records = SyncKit.ByKey(after.GetProperty("Records"));
            Assert.Equal(won, records["start"].GetProperty("Value").GetString());
            var thisRound = records.Keys.Where(k => k.StartsWith($"r{round}-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([$"r{round}-a{device0}", $"r{round}-b{device0}"], thisRound);
            var dataset = (await kit.Call(device.Credentials, "GET", SyncKit.Dataset(device, "race"))).Body.GetProperty("Dataset");
            Assert.Equal(1 + 2 * (round + 1), dataset.GetProperty("NumRecords").GetInt64());
        }
    }

    [Fact]
    public async Task Devices_creating_datasets_at_once_never_take_an_identity_past_twenty()
    {
        var device = await kit.NewDevice(await kit.Pool());
        for (var i = 0; i < 15; i++) Assert.Equal(200, (await kit.Update(device, $"kept{i:D2}", SyncKit.Replace("k", "v", 0))).Status);

        var sessions = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => kit.List(device, $"new{i}")));
        var writes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => kit.Call(device.Credentials, "POST", SyncKit.Dataset(device, $"new{i}"),
            new Dictionary<string, object?> { ["SyncSessionToken"] = sessions[i].GetProperty("SyncSessionToken").GetString(), ["RecordPatches"] = new[] { SyncKit.Replace("k", "v", 0) } })));

        Assert.Equal(5, writes.Count(w => w.Status == 200));
        Assert.All(writes.Where(w => w.Status != 200), w => Assert.Equal("LimitExceededException", w.ErrorType));
        var listed = await kit.Call(device.Credentials, "GET", SyncKit.Path(device.PoolId, device.IdentityId, tail: "/datasets?maxResults=64"));
        Assert.Equal(20, listed.Body.GetProperty("Datasets").GetArrayLength());
        var usage = await kit.Call(device.Credentials, "GET", SyncKit.Path(device.PoolId, device.IdentityId));
        Assert.Equal(20, usage.Body.GetProperty("IdentityUsage").GetProperty("DatasetCount").GetInt64());
        // A refused one holds nothing.
        foreach (var (w, i) in writes.Select((w, i) => (w, i)).Where(x => x.w.Status != 200))
            Assert.False((await kit.List(device, $"new{i}")).GetProperty("DatasetExists").GetBoolean());
    }
}

[Collection(PostgresSyncCollection.Name)]
public sealed class SyncPostgresTests(PostgresSyncServer server) : SyncStoreCases(server);

[Collection(ServerCollection.Name)]
public sealed class SyncSqliteStoreTests(PortalServer server) : SyncStoreCases(server);
