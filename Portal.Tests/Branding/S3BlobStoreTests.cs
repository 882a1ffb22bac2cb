using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>A real S3-compatible server (npm s3rver from Portal.Tests/compat) on a free loopback port, with one bucket.</summary>
public sealed class S3rver : IDisposable
{
    public const string Bucket = "portal-assets";
    // s3rver's fixed credentials.
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";

    readonly Process process;
    readonly string directory = Path.Combine(Path.GetTempPath(), "portal-tests", "s3rver-" + Guid.NewGuid().ToString("n"));
    public int Port { get; } = PortalServer.FreePort();
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public S3rver()
    {
        var script = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"s3rver is not installed ({script}): run 'npm ci' in Portal.Tests/compat (test.sh does).");
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--directory", directory, "--port", Port.ToString(CultureInfo.InvariantCulture), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Listening())
        {
            // Between probes, wait on the process itself: an exit ends the wait at once.
            if (process.WaitForExit(100)) throw new InvalidOperationException($"s3rver exited with code {process.ExitCode}.");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("s3rver did not start listening within 30 s.");
        }
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

    public S3AssetOptions Options => new()
    {
        Bucket = Bucket, ServiceUrl = ServiceUrl, ForcePathStyle = true, AccessKeyId = AccessKeyId, SecretAccessKey = SecretAccessKey, Prefix = "assets/",
    };

    bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        process.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A Portal whose assets live in s3rver, configured as an operator would: Portal:Assets:Provider = S3.</summary>
public sealed class S3PortalServer : PortalServer
{
    // Field initialisers run before the base constructor starts the server, so the bucket is there when it configures.
    public S3rver S3 { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Assets:Provider"] = "S3",
        ["Portal:Assets:S3:Bucket"] = S3rver.Bucket,
        ["Portal:Assets:S3:ServiceUrl"] = S3.ServiceUrl,
        ["Portal:Assets:S3:ForcePathStyle"] = "true",
        ["Portal:Assets:S3:AccessKeyId"] = S3rver.AccessKeyId,
        ["Portal:Assets:S3:SecretAccessKey"] = S3rver.SecretAccessKey,
        ["Portal:Assets:S3:Prefix"] = "portal/",
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) S3.Dispose();
    }
}

/// <summary>S3BlobStore against s3rver, directly and as the store of a running Portal.</summary>
public sealed class S3BlobStoreTests(S3PortalServer server) : IClassFixture<S3PortalServer>
{
    [Fact]
    public async Task Put_get_delete_round_trip()
    {
        using var store = S3BlobStore.Create(server.S3.Options, server.Services.GetRequiredService<global::Portal.Server.Outbound.OutboundAddresses>());
        var png = TestImages.Png(20, 10);
        await store.Put("round-trip.png", png, "image/png");
        var blob = await store.Get("round-trip.png");
        Assert.Equal(png, blob!.Bytes);
        Assert.Equal("image/png", blob.ContentType);

        await store.Put("round-trip.png", TestImages.Jpeg(), "image/jpeg");
        Assert.Equal("image/jpeg", (await store.Get("round-trip.png"))!.ContentType);

        await store.Delete("round-trip.png");
        Assert.Null(await store.Get("round-trip.png"));
        await store.Delete("round-trip.png");
        await Assert.ThrowsAsync<ArgumentException>(() => store.Get("../outside"));
    }

    [Fact]
    public async Task Portal_with_the_S3_provider_stores_and_serves_the_logo_from_the_bucket()
    {
        var cognito = BrandedPool.Cognito(server);
        var pool = await BrandedPool.Create(cognito);
        var png = TestImages.Png(30, 15);
        var set = (await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, CSS = ".label-customizable { color: #334455; }", ImageFile = png })).UICustomization!;
        var get = (await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).UICustomization!;
        Assert.Equal(set.ImageUrl, get.ImageUrl);

        using var response = await new HttpClient().GetAsync(get.ImageUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());

        // The object really is in the bucket, under the configured prefix.
        var options = server.S3.Options;
        options.Prefix = "portal/";
        using var bucket = S3BlobStore.Create(options, server.Services.GetRequiredService<global::Portal.Server.Outbound.OutboundAddresses>());
        var key = new Uri(get.ImageUrl!).Segments.Last();
        Assert.Equal(png, (await bucket.Get(key))!.Bytes);
    }
}
