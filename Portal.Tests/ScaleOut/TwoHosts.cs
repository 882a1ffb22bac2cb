using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>A Portal host whose storage settings come from outside (another host's database and data folder).</summary>
public sealed class SharedStoreServer : PortalServer
{
    readonly IDictionary<string, string?> shared;

    public SharedStoreServer(IDictionary<string, string?> shared) : base(started: false)
    {
        this.shared = shared;
        Start();
    }

    protected override IDictionary<string, string?> Settings => shared;

    public RemoteCognito Admin => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, new RemoteCognito.Credentials(AccessKeyId, SecretAccessKey));
    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);
}

/// <summary>Two instances on one store, as two machines behind a load balancer: the same database and the same key
/// file (the data folder), each with its own port and memory.</summary>
public abstract class TwoHosts : IDisposable
{
    public SharedStoreServer A { get; }
    public SharedStoreServer B { get; }

    /// <param name="onePublicUrl">Both behind one public URL (A's), as behind a load balancer: tokens either issues name
    /// the same issuer.</param>
    protected TwoHosts(IDictionary<string, string?> store, bool onePublicUrl = false)
    {
        A = new SharedStoreServer(store);
        var b = new Dictionary<string, string?>(store) { ["Portal:Storage:DataFolder"] = A.DataFolder };
        if (onePublicUrl) b["Portal:PublicBaseUrl"] = A.BaseUrl;
        B = new SharedStoreServer(b);
    }

    /// <summary>A and B in turn: request i goes to A when i is even.</summary>
    public SharedStoreServer Host(int i) => i % 2 == 0 ? A : B;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        B.Dispose();
        A.Dispose();
    }
}

public class TwoHostsOnPostgres : TwoHosts
{
    readonly Postgres postgres;

    public TwoHostsOnPostgres() : this(new Dictionary<string, string?>(), onePublicUrl: false)
    {
    }

    /// <param name="settings">More settings both hosts share.</param>
    /// <param name="onePublicUrl">Both behind A's public URL (<see cref="TwoHosts(IDictionary{string, string?}, bool)"/>).</param>
    protected TwoHostsOnPostgres(IDictionary<string, string?> settings, bool onePublicUrl = false) : this(Postgres.Started(), settings, onePublicUrl)
    {
    }

    TwoHostsOnPostgres(Postgres postgres, IDictionary<string, string?> settings, bool onePublicUrl)
        : base(postgres.ForPortal(settings, "portal_" + Guid.NewGuid().ToString("n")[..12]), onePublicUrl) =>
        this.postgres = postgres;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) postgres.DisposeAsync().GetAwaiter().GetResult();
    }
}

public sealed class TwoHostsOnSqlite() : TwoHosts(new Dictionary<string, string?>());
