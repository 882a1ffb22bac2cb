using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using Portal.Tests.SelfService;

namespace Portal.Tests.ThreatProtection;

/// <summary>A Portal whose Pwned Passwords URL is a local range API (<see cref="RangeApi"/>) and whose mail goes to a real
/// SMTP server (for forgot-password codes).</summary>
public class ThreatServer : PortalServer
{
    public RangeApi Range { get; } = RangeApi.Start();
    public MailCatcher Mail { get; } = MailCatcher.Start();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:ThreatProtection:PwnedPasswordsUrl"] = Range.Url,
        ["Portal:ThreatProtection:PwnedPasswordsTimeout"] = "00:00:02",
        ["Portal:Smtp:Host"] = "127.0.0.1",
        ["Portal:Smtp:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Smtp:From"] = "portal-tests@portal.local",
    };

    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);

    public RemoteCognito Admin => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") },
        new RemoteCognito.Credentials(AccessKeyId, SecretAccessKey));

    public async Task<T> Db<T>(Func<PortalDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Range.Dispose();
        Mail.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ThreatCollection : ICollectionFixture<ThreatServer>
{
    public const string Name = "threat";
}

/// <summary>A Pwned Passwords range API on a free loopback port: <c>GET /range/{5 hex}</c> answers the suffixes of the
/// breached passwords it was given (with padding lines of count 0 when asked), and records every request as it came,
/// so a test can check that nothing but 5 hex characters left Portal. It can be stopped and started again.</summary>
public sealed class RangeApi : IDisposable
{
    readonly ConcurrentDictionary<string, int> breached = new(StringComparer.Ordinal);
    WebApplication? app;

    public int Port { get; private init; }
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Every request: method, raw path and query, and whether it asked for padding.</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, bool Padding, long? BodyLength)> Requests { get; } = new();

    public static RangeApi Start()
    {
        var api = new RangeApi { Port = PortalServer.FreePort() };
        api.Up();
        return api;
    }

    /// <summary>This password is breached, seen <paramref name="count"/> times.</summary>
    public void Breach(string password, int count = 12345) => breached[Hex(password)] = count;

    public static string Hex(string password) =>
#pragma warning disable CA5350 // the range API is keyed by SHA-1
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350

    public void Up()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        app = builder.Build();
        app.Run(async http =>
        {
            var padding = http.Request.Headers["Add-Padding"].ToString() == "true";
            Requests.Enqueue((http.Request.Method, http.Request.Path.Value + http.Request.QueryString.Value, padding, http.Request.ContentLength));
            var path = http.Request.Path.Value ?? "";
            if (!path.StartsWith("/range/", StringComparison.Ordinal) || path.Length != 12)
            {
                http.Response.StatusCode = 400;
                return;
            }
            var prefix = path[7..].ToUpperInvariant();
            var lines = breached.Where(b => b.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(b => $"{b.Key[5..]}:{b.Value}").ToList();
            if (padding)
                // Made-up suffixes with count 0, as the real API pads: they mean nothing.
                for (var i = 0; i < 5; i++) lines.Add($"{Convert.ToHexString(RandomNumberGenerator.GetBytes(18))[..35]}:0");
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(string.Join("\r\n", lines));
        });
        app.StartAsync().GetAwaiter().GetResult();
    }

    public void Down()
    {
        app?.StopAsync().GetAwaiter().GetResult();
        app?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        app = null;
    }

    public void Dispose() => Down();
}
