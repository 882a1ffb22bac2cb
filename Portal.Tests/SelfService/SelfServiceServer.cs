using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using SmtpServer;
using SmtpServer.Storage;

namespace Portal.Tests.SelfService;

/// <summary>A Portal whose email goes to a real SMTP server (SmtpServer on a free port) and whose SMS go to a
/// real HTTP webhook (a tiny WebApplication on a free port), both started by the fixture.</summary>
public sealed class SelfServiceServer : PortalServer
{
    // Field initializers run before the base constructor starts Portal, so Settings can name their ports.
    public MailCatcher Mail { get; } = MailCatcher.Start();
    public SmsWebhook Sms { get; } = SmsWebhook.Start();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Smtp:Host"] = "127.0.0.1",
        ["Portal:Smtp:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Smtp:From"] = "portal-tests@portal.local",
        ["Portal:Sms:WebhookUrl"] = Sms.Url,
    };

    /// <summary>The wire, unsigned: what an app uses for SignUp, ConfirmSignUp, ForgotPassword ...</summary>
    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);

    /// <summary>The wire, signed with the test API key (admin operations).</summary>
    public RemoteCognito Admin => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") },
        new RemoteCognito.Credentials(AccessKeyId, SecretAccessKey));

    /// <summary>Runs a piece of work on the server's own store (to read the outbox, or age a code).</summary>
    public async Task<T> Db<T>(Func<PortalDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    /// <summary>A pool with an app client; email auto-verified unless the caller says otherwise.</summary>
    public async Task<(string PoolId, string ClientId)> CreatePool(CreateUserPoolRequest? pool = null, CreateUserPoolClientRequest? client = null)
    {
        var admin = Admin;
        var created = await admin.Send((pool ?? new CreateUserPoolRequest { AutoVerifiedAttributes = ["email"] }) with { PoolName = Unique("pool") });
        var poolId = created.UserPool!.Id!;
        var appClient = await admin.Send((client ?? new CreateUserPoolClientRequest()) with
        {
            UserPoolId = poolId,
            ClientName = client?.ClientName ?? "app",
            ExplicitAuthFlows = client?.ExplicitAuthFlows ?? ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            PreventUserExistenceErrors = client?.PreventUserExistenceErrors ?? "ENABLED",
        });
        return (poolId, appClient.UserPoolClient!.ClientId!);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Mail.Dispose();
        Sms.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SelfServiceCollection : ICollectionFixture<SelfServiceServer>
{
    public const string Name = "selfservice";
}

/// <summary>A real SMTP server that keeps every message it is given.</summary>
public sealed class MailCatcher : IDisposable
{
    readonly ConcurrentQueue<MimeMessage> messages = new();
    readonly CancellationTokenSource stop = new();
    readonly SemaphoreSlim arrived = new(0);
    SmtpServer.SmtpServer? server; // held, so the collector never takes the listener away

    public int Port { get; private init; }

    public static MailCatcher Start()
    {
        var catcher = new MailCatcher { Port = PortalServer.FreePort() };
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, catcher.Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(catcher));
        // Ready when the listener says it has started (or the server stopped trying): no probing, no sleeping.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        listeners.EndpointStarted += (_, _) => listening.TrySetResult();
        services.Add(listeners);
        catcher.server = new SmtpServer.SmtpServer(options, services);
        var running = catcher.server.StartAsync(catcher.stop.Token);
        var first = Task.WhenAny(listening.Task, running).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        if (first != listening.Task) throw new InvalidOperationException($"The mail catcher did not start on port {catcher.Port}.", running.Exception);
        return catcher;
    }

    // Not the catcher itself: SmtpServer disposes a disposable store after each session.
    sealed class Store(MailCatcher catcher) : MessageStore
    {
        public override async Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            catcher.messages.Enqueue(await MimeMessage.LoadAsync(stream, ct));
            catcher.arrived.Release();
            return SmtpServer.Protocol.SmtpResponse.Ok;
        }
    }

    /// <summary>The latest message to an address, waiting a little for it.</summary>
    public async Task<MimeMessage> LatestTo(string address, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var matching = messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();
            if (matching.Count >= count) return matching[^1];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No message #{count} to {address} arrived.");
            await arrived.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    public int CountTo(string address) =>
        messages.Count(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The 6-digit code in the latest message to an address.</summary>
    public async Task<string> CodeTo(string address, int count = 1)
    {
        var message = await LatestTo(address, count);
        return CodeIn(message.TextBody ?? message.HtmlBody);
    }

    public static string CodeIn(string? text) => Regex.Match(text ?? throw new InvalidOperationException("The message has no body."), @"\b(\d{6})\b") is { Success: true } m
        ? m.Groups[1].Value
        : throw new InvalidOperationException("The message holds no 6-digit code.");

    public void Dispose() => stop.Cancel();
}

/// <summary>A real HTTP endpoint receiving Portal's SMS webhook calls ({to, message}).</summary>
public sealed class SmsWebhook : IDisposable
{
    public sealed record Sms(string To, string Message);

    readonly ConcurrentQueue<Sms> received = new();
    WebApplication? app;

    public int Port { get; private init; }
    public string Url => $"http://127.0.0.1:{Port}/sms";
    /// <summary>Numbers ending in this get HTTP 500 (to see a failed delivery recorded).</summary>
    public const string FailingSuffix = "0500";

    public static SmsWebhook Start()
    {
        var hook = new SmsWebhook { Port = PortalServer.FreePort() };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{hook.Port}");
        hook.app = builder.Build();
        hook.app.MapPost("/sms", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var sms = new Sms(body.RootElement.GetProperty("to").GetString()!, body.RootElement.GetProperty("message").GetString()!);
            if (sms.To.EndsWith(FailingSuffix, StringComparison.Ordinal)) return Results.StatusCode(500);
            hook.received.Enqueue(sms);
            return Results.Ok();
        });
        hook.app.StartAsync().GetAwaiter().GetResult();
        return hook;
    }

    public Sms? LatestTo(string phoneNumber) => received.LastOrDefault(s => s.To == phoneNumber);

    public void Dispose() => app?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
