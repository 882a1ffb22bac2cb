using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Portal.Testing;

/// <summary>
/// Portal in this test process, in testing mode, on a free loopback port with a temporary SQLite store (deleted on
/// dispose): <c>IClassFixture&lt;PortalFixture&gt;</c> or a collection fixture. Point the app's Cognito client at
/// <see cref="BaseUrl"/> with <see cref="AccessKeyId"/> / <see cref="SecretAccessKey"/>, and drive testing mode with
/// the helpers, which are the starter kit's (samples/playwright/fixtures/portal.ts) in C#.
/// </summary>
public class PortalFixture : IAsyncLifetime, IDisposable
{
    public const string AccessKeyId = "AKIAPORTALTESTING001";
    public const string SecretAccessKey = "portal/testing/fixture/secret/key/000000";

    readonly Factory factory;
    readonly HttpClient http;

    public PortalFixture()
    {
        Port = FreePort();
        DataFolder = Path.Combine(Path.GetTempPath(), "portal-testing", Guid.NewGuid().ToString("n"));
        factory = new Factory(this);
        http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string DataFolder { get; }

    /// <summary>The folder holding appsettings.json and wwwroot (found above the test binaries); override to move it.</summary>
    protected virtual string ContentRoot => FindContentRoot();

    /// <summary>More configuration (keys as in appsettings.json, e.g. <c>Portal:Testing:FastPasswordHashing</c>).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public IServiceProvider Services => factory.Services;

    public Task InitializeAsync()
    {
        factory.UseKestrel(Port);
        factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await factory.DisposeAsync();
        DeleteData();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        http.Dispose();
        factory.Dispose();
        DeleteData();
    }

    void DeleteData()
    {
        if (!Directory.Exists(DataFolder)) return;
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temporary folder is cleaned by the system.
        }
    }

    // ---- testing mode's helpers ----

    public Task<ClonedPool> ClonePool(string templatePoolId, string? domainSuffix = null, int? ttlSeconds = 3600, CancellationToken ct = default) =>
        Call<ClonedPool>(HttpMethod.Post, $"/_portal/testing/pools/{templatePoolId}/clone", new { TtlSeconds = ttlSeconds, DomainSuffix = domainSuffix }, ct);

    public Task ResetPool(string poolId, CancellationToken ct = default) =>
        Call<JsonElement>(HttpMethod.Post, $"/_portal/testing/pools/{poolId}/reset", null, ct);

    public Task<SeededUsers> SeedUsers(string poolId, IEnumerable<SeedUser> users, bool triggers = true, CancellationToken ct = default) =>
        Call<SeededUsers>(HttpMethod.Post, $"/_portal/testing/pools/{poolId}/users", new { Users = users, Triggers = triggers }, ct);

    public Task<MintedSession> MintSession(string poolId, string username, string clientId, CancellationToken ct = default) =>
        Call<MintedSession>(HttpMethod.Post, $"/_portal/testing/pools/{poolId}/sessions", new { Username = username, ClientId = clientId }, ct);

    /// <summary>The pool's clock: how far it runs ahead of real time, and its time now.</summary>
    public Task<PoolClock> PoolClock(string poolId, CancellationToken ct = default) =>
        Call<PoolClock>(HttpMethod.Get, $"/_portal/testing/pools/{poolId}/clock", null, ct);

    /// <summary>Runs the pool's clock ahead of real time (zero clears): its codes, sessions, tokens and lockouts expire as if
    /// the time had passed; other pools keep real time.</summary>
    public Task<PoolClock> SetClock(string poolId, TimeSpan offset, CancellationToken ct = default) =>
        Call<PoolClock>(HttpMethod.Put, $"/_portal/testing/pools/{poolId}/clock", new { OffsetSeconds = (long)offset.TotalSeconds }, ct);

    /// <summary>Moves the pool's clock on (e.g. 25 hours to see a sign-up code expire).</summary>
    public Task<PoolClock> AdvanceClock(string poolId, TimeSpan by, CancellationToken ct = default) =>
        Call<PoolClock>(HttpMethod.Post, $"/_portal/testing/pools/{poolId}/clock/advance", new { Seconds = (long)by.TotalSeconds }, ct);

    /// <summary>Puts the pool back on real time.</summary>
    public Task<PoolClock> ClearClock(string poolId, CancellationToken ct = default) =>
        Call<PoolClock>(HttpMethod.Delete, $"/_portal/testing/pools/{poolId}/clock", null, ct);

    /// <summary>Adds the built-in test IdP to the pool as an OIDC provider and offers it on the app client's hosted sign-in.</summary>
    public Task<TestIdp> AddTestIdp(string poolId, string? clientId = null, string? providerName = null, CancellationToken ct = default) =>
        Call<TestIdp>(HttpMethod.Post, $"/_portal/testing/pools/{poolId}/test-idp", new { ClientId = clientId, ProviderName = providerName }, ct);

    /// <summary>The newest message to the recipient sent after <paramref name="since"/>, waiting up to 30 s for it (long poll).</summary>
    public async Task<MailboxMessage> WaitForMessage(string recipient, string? poolId = null, string? kind = null, DateTimeOffset? since = null,
        int waitSeconds = 15, CancellationToken ct = default)
    {
        var query = $"recipient={Uri.EscapeDataString(recipient)}&wait={waitSeconds}"
            + (poolId is null ? "" : $"&pool={poolId}") + (kind is null ? "" : $"&kind={kind}")
            + (since is { } s ? $"&since={Uri.EscapeDataString(s.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}" : "");
        var box = await Call<Mailbox>(HttpMethod.Get, "/_portal/testing/mailbox?" + query, null, ct);
        return (box.Messages.Count > 0 ? box.Messages[0] : null) ?? throw new InvalidOperationException($"No {kind} message to {recipient} arrived in {waitSeconds} s.");
    }

    public async Task<string> WaitForCode(string recipient, string? poolId = null, string? kind = null, DateTimeOffset? since = null, CancellationToken ct = default) =>
        (await WaitForMessage(recipient, poolId, kind, since, ct: ct)).Code ?? throw new InvalidOperationException($"The message to {recipient} has no code.");

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    async Task<T> Call<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new PortalTestingException(response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string FindContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "appsettings.json")) && Directory.Exists(Path.Combine(dir.FullName, "wwwroot")))
                return dir.FullName;
        return AppContext.BaseDirectory;
    }

    sealed class Factory(PortalFixture fixture) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseContentRoot(fixture.ContentRoot);
            var settings = new Dictionary<string, string?>
            {
                ["Urls"] = fixture.BaseUrl,
                ["Portal:PublicBaseUrl"] = fixture.BaseUrl,
                ["Portal:Storage:DataFolder"] = fixture.DataFolder,
                ["Portal:Testing:Enabled"] = "true",
                ["Portal:Bootstrap:AdminPassword"] = "Admin-Passw0rd!",
                ["Portal:Api:AccessKeys:0:AccessKeyId"] = AccessKeyId,
                ["Portal:Api:AccessKeys:0:SecretAccessKey"] = SecretAccessKey,
                ["Portal:RateLimits:PerAddressPerSecond"] = "1000000",
            };
            foreach (var (k, v) in fixture.Settings) settings[k] = v;
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        }
    }
}

public sealed class PortalTestingException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

public sealed record SeedUser(string Username, string Password, IReadOnlyDictionary<string, string>? Attributes = null, IReadOnlyList<string>? Groups = null);
public sealed record SeededUsers(IReadOnlyList<SeededUser> Users);
public sealed record SeededUser(string Username, string Sub);
public sealed record ClonedClient(string ClientName, string TemplateClientId, string ClientId, string? ClientSecret);
public sealed record ClonedPool(string UserPoolId, string PoolName, string? Domain, DateTimeOffset? ExpiresAt, IReadOnlyList<ClonedClient> Clients);
public sealed record Tokens(string IdToken, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);
public sealed record SsoCookie(string Name, string Value, string Path, string Domain);
public sealed record MintedSession(Tokens AuthenticationResult, SsoCookie? SsoCookie);
public sealed record Mailbox(IReadOnlyList<MailboxMessage> Messages);
/// <summary>The pool's clock; <c>Now</c> in Unix seconds, as Cognito's JSON writes dates.</summary>
public sealed record PoolClock(string UserPoolId, long OffsetSeconds, double Now);
public sealed record TestIdp(string ProviderName, string Issuer, string IdpClientId);
public sealed record MailboxMessage(string Id, string UserPoolId, string Channel, string Kind, string Destination, string? Username,
    string? Subject, string Body, string? Code, string? Link, DateTimeOffset CreatedAt);
