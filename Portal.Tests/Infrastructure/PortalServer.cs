using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Infrastructure;

/// <summary>A real Portal on a real Kestrel port with its own SQLite file (or the given PostgreSQL),
/// configured as a newcomer's first start plus a known admin password and API key.</summary>
public class PortalServer : WebApplicationFactory<Program>
{
    public const string AccessKeyId = "AKIATESTPORTAL000001";
    public const string SecretAccessKey = "test/secret/key/for/portal/tests/0000000";
    public const string AdminPassword = "Admin-Passw0rd!";

    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();
    /// <summary>Portal on PostgreSQL instead of SQLite: a database of its own in a throwaway cluster (or the one
    /// PORTAL_TEST_POSTGRES names), made when the server starts and stopped with it.</summary>
    protected virtual bool OnPostgres => false;
    Postgres? postgres;
    /// <summary>The server's TimeProvider: real time that a test can move on (<see cref="TestServerClock.Advance"/>).</summary>
    public TestServerClock Clock { get; } = new();

    public PortalServer() : this(started: true)
    {
    }

    /// <summary>For servers whose settings come from their own constructor: they call <see cref="Start"/> at its end.</summary>
    protected PortalServer(bool started)
    {
        if (started) Start();
    }

    protected void Start()
    {
        UseKestrel(Port);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseContentRoot(RepositoryRoot);
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = BaseUrl,
            ["Portal:PublicBaseUrl"] = BaseUrl,
            ["Portal:Storage:DataFolder"] = DataFolder,
            ["Portal:Api:AccessKeys:0:AccessKeyId"] = AccessKeyId,
            ["Portal:Api:AccessKeys:0:SecretAccessKey"] = SecretAccessKey,
            ["Portal:Bootstrap:AdminPassword"] = AdminPassword,
            // Test IdPs, webhooks, Lambda and s3rver listen on loopback; the SSRF tests turn this off.
            ["Portal:Outbound:AllowPrivateNetworks"] = "true",
            // Suites create users and codes faster than Cognito's quotas allow from one address; the throttling tests set their own.
            ["Portal:RateLimits:PerAddressPerSecond"] = "1000000",
            ["Portal:RateLimits:CodesPerUser"] = "1000",
            // The test servers share this process: one's collection after its start would pause all the others.
            ["Portal:Memory:CollectAfterStart"] = "false",
        };
        foreach (var category in global::Portal.Server.Throttling.RateLimitOptions.CognitoDefaults.Keys)
            settings[$"Portal:RateLimits:Categories:{category}"] = "1000000";
        foreach (var (k, v) in Settings) settings[k] = v;
        if (OnPostgres) (postgres ??= Postgres.Started(Port)).ForPortal(settings, "portal_" + Guid.NewGuid().ToString("n")[..12]);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public static string RepositoryRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        var built = typeof(PortalServer).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Portal.sln"))) return built;
        throw new InvalidOperationException("Portal.sln not found above the test binaries.");
    }

    /// <summary>A name no other test uses: the prefix, a dash and 12 hex digits.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 13)];

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) postgres?.DisposeAsync().GetAwaiter().GetResult();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "server";
}
