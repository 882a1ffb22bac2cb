using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Storage;
using Portal.Server.Sync.Streams;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>A real Kinesis-compatible server (npm kinesalite from Portal.Tests/compat) on a fixed loopback port, keeping its
/// streams in a LevelDB folder so it can be stopped and started again with what it held.</summary>
public sealed class Kinesalite : IDisposable
{
    public int Port { get; } = PortalServer.FreePort();
    public string Endpoint => $"http://127.0.0.1:{Port}";
    readonly string directory = Path.Combine(Path.GetTempPath(), "portal-tests", "kinesalite-" + Guid.NewGuid().ToString("n"));
    Process? process;

    public Kinesalite() => Start();

    public void Start()
    {
        var script = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat", "node_modules", "kinesalite", "cli.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"kinesalite is not installed ({script}): run 'npm ci' in Portal.Tests/compat (test.sh does).");
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--port", Port.ToString(CultureInfo.InvariantCulture), "--path", directory,
                "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (!Listening())
        {
            // Between probes, wait on the process itself: an exit ends the wait at once.
            if (process.WaitForExit(100)) throw new InvalidOperationException($"kinesalite exited with code {process.ExitCode}.");
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("kinesalite did not start listening within 30 s.");
        }
    }

    /// <summary>Stops the server (its streams stay in its folder): the stream is down until <see cref="Start"/>.</summary>
    public void Stop()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        process.Dispose();
        process = null;
    }

    bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A Portal whose Cognito Streams go to a kinesalite (or, for <paramref name="kinesisEndpoint"/>, wherever the test
/// says), polling its outbox often and retrying soon, on its own data folder (or a given one, to restart on the same store),
/// signing with its Kinesis keys (<c>Portal:Sync:AssumeRoles</c> false) unless the settings say otherwise.</summary>
public sealed class StreamsServer : PortalServer
{
    public const string KinesisKey = "AKIAKINESISTEST00001";
    public const string KinesisSecret = "kinesis/secret/for/portal/tests/0000000";
    readonly string kinesisEndpoint;
    readonly string? dataFolder;
    readonly IReadOnlyDictionary<string, string?>? extra;

    public StreamsServer(string kinesisEndpoint, string? dataFolder = null, IReadOnlyDictionary<string, string?>? settings = null) : base(started: false)
    {
        this.kinesisEndpoint = kinesisEndpoint;
        this.dataFolder = dataFolder;
        extra = settings;
        Start();
    }

    public string Folder => dataFolder ?? DataFolder;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Portal:Sync:Kinesis:Endpoint"] = kinesisEndpoint,
                ["Portal:Sync:Kinesis:AccessKeyId"] = KinesisKey,
                ["Portal:Sync:Kinesis:SecretAccessKey"] = KinesisSecret,
                ["Portal:Sync:Kinesis:PollSeconds"] = "0.2",
                ["Portal:Sync:Kinesis:MaxBackoffSeconds"] = "1",
                ["Portal:Sync:Kinesis:BulkPublishAttempts"] = "3",
                // kinesalite has no STS and accepts any key: these servers sign with the keys (the role tests set it true).
                ["Portal:Sync:AssumeRoles"] = "false",
            };
            if (dataFolder is not null) settings["Portal:Storage:DataFolder"] = dataFolder;
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
            return settings;
        }
    }

    public async Task<T> Db<T>(Func<PortalDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    public Task<List<SyncStreamOutboxRow>> Outbox(string poolId) =>
        Db(db => db.Set<SyncStreamOutboxRow>().AsNoTracking().Where(r => r.IdentityPoolId == poolId).ToListAsync());

    /// <summary>Waits for the publisher's next round (5 s at most).</summary>
    public async Task NextRound()
    {
        try
        {
            await Services.GetRequiredService<StreamPublisher>().NextRound().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A slow round: the caller checks again and keeps its own deadline.
        }
    }

    /// <summary>A call to the Kinesis API, signed as Portal signs it.</summary>
    public async Task<JsonObject> Kinesis(string operation, JsonObject body)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KinesisClient>().Call(operation, body, CancellationToken.None);
    }

    public async Task CreateStream(string name) =>
        await Kinesis("CreateStream", new JsonObject { ["StreamName"] = name, ["ShardCount"] = 1 });

    /// <summary>Every record in the (one-shard) stream, oldest first: partition key and the JSON it carries.</summary>
    public async Task<List<(string PartitionKey, JsonElement Data)>> Read(string stream)
    {
        var shard = (await Kinesis("DescribeStream", new JsonObject { ["StreamName"] = stream }))["StreamDescription"]!["Shards"]![0]!["ShardId"]!.GetValue<string>();
        var iterator = (await Kinesis("GetShardIterator", new JsonObject
        {
            ["StreamName"] = stream, ["ShardId"] = shard, ["ShardIteratorType"] = "TRIM_HORIZON",
        }))["ShardIterator"]!.GetValue<string>();
        var all = new List<(string, JsonElement)>();
        while (true)
        {
            var page = await Kinesis("GetRecords", new JsonObject { ["ShardIterator"] = iterator, ["Limit"] = 1000 });
            var records = page["Records"]!.AsArray();
            foreach (var r in records)
                all.Add((r!["PartitionKey"]!.GetValue<string>(),
                    JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(r["Data"]!.GetValue<string>()))).RootElement.Clone()));
            if (records.Count == 0 || page["NextShardIterator"] is null) return all;
            iterator = page["NextShardIterator"]!.GetValue<string>();
        }
    }

    /// <summary>Reads the stream until <paramref name="done"/> holds of the pool's records (30 s at most): the publisher
    /// runs in the background, so the test waits on what Kinesis holds.</summary>
    public async Task<List<(string PartitionKey, JsonElement Data)>> ReadUntil(string stream, string poolId,
        Func<List<(string PartitionKey, JsonElement Data)>, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var records = (await Read(stream)).Where(r => r.Data.GetProperty("identityPoolId").GetString() == poolId).ToList();
            if (done(records)) return records;
            await NextRound();
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"The stream held {records.Count} record(s) of the pool after 30 s: {string.Join(" | ", records.Select(r => r.Data.GetRawText()))}");
        }
    }

    /// <summary>Waits until the pool's outbox satisfies <paramref name="done"/> (30 s at most).</summary>
    public async Task<List<SyncStreamOutboxRow>> OutboxUntil(string poolId, Func<List<SyncStreamOutboxRow>, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var rows = await Outbox(poolId);
            if (done(rows)) return rows;
            await NextRound();
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"The outbox held {rows.Count} row(s) after 30 s.");
        }
    }
}

/// <summary>One kinesalite and one Portal sending to it, for a test class.</summary>
public sealed class StreamsFixture : IDisposable
{
    public Kinesalite Kinesis { get; } = new();
    public StreamsServer Server { get; }

    public StreamsFixture() => Server = new StreamsServer(Kinesis.Endpoint);

    public void Dispose()
    {
        Server.Dispose();
        Kinesis.Dispose();
    }
}
