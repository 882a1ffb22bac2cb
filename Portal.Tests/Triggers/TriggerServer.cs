using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using Portal.Tests.SelfService;

namespace Portal.Tests.TriggerEngine;

/// <summary>A Portal whose email goes to a real SMTP server and whose Lambda target is a Lambda-compatible Invoke
/// endpoint started by the fixture (<see cref="FunctionHost"/>), which also serves the test webhooks.</summary>
public sealed class TriggerServer : PortalServer
{
    public const string LambdaAccessKey = "AKIALAMBDATEST000001";
    public const string LambdaSecret = "lambda/secret/for/portal/tests/00000000";

    // Field initializers run before the base constructor starts Portal, so Settings can name their ports.
    public MailCatcher Mail { get; } = MailCatcher.Start();
    public FunctionHost Functions { get; } = FunctionHost.Start();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Smtp:Host"] = "127.0.0.1",
        ["Portal:Smtp:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Smtp:From"] = "portal-tests@portal.local",
        ["Portal:Triggers:Lambda:Endpoint"] = Functions.BaseUrl,
        ["Portal:Triggers:Lambda:AccessKeyId"] = LambdaAccessKey,
        ["Portal:Triggers:Lambda:SecretAccessKey"] = LambdaSecret,
    };

    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);

    public RemoteCognito Admin => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") },
        new RemoteCognito.Credentials(AccessKeyId, SecretAccessKey));

    public async Task<T> Db<T>(Func<PortalDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    /// <summary>A pool (email auto-verified) with an app client that allows the password and custom flows.</summary>
    public async Task<(string PoolId, string ClientId)> CreatePool(CreateUserPoolRequest? pool = null)
    {
        var admin = Admin;
        var created = await admin.Send((pool ?? new CreateUserPoolRequest { AutoVerifiedAttributes = ["email"] }) with { PoolName = Unique("trg") });
        var poolId = created.UserPool!.Id!;
        var client = await admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app",
            ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"],
            PreventUserExistenceErrors = "ENABLED",
        });
        return (poolId, client.UserPoolClient!.ClientId!);
    }

    public Task PutInline(string poolId, string trigger, string code, string? version = null) =>
        Admin.Send(new PutTriggerFunctionRequest { UserPoolId = poolId, Trigger = trigger, Kind = TriggerTargetKinds.Inline, Code = code, LambdaVersion = version });

    /// <summary>The logged invocations of a pool, newest first, with their details.</summary>
    public async Task<List<TriggerInvocationType>> Invocations(string poolId, string? trigger = null)
    {
        var list = await Admin.Send(new ListTriggerInvocationsRequest { UserPoolId = poolId, Trigger = trigger });
        var full = new List<TriggerInvocationType>();
        foreach (var i in list.Invocations!) full.Add((await Admin.Send(new GetTriggerInvocationRequest { Id = i.Id })).Invocation!);
        return full;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Mail.Dispose();
        Functions.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TriggerCollection : ICollectionFixture<TriggerServer>
{
    public const string Name = "triggers";
}

/// <summary>
/// A real HTTP server playing two parts: the AWS Lambda Invoke API (<c>POST /2015-03-31/functions/{arn}/invocations</c>,
/// refusing requests without a SigV4 Authorization header) and HTTPS-style webhooks (<c>POST /hook/{name}</c>, refusing
/// a body whose X-Portal-Signature does not verify). Each function is a C# handler the test registers.
/// </summary>
public sealed class FunctionHost : IDisposable
{
    public sealed record Call(string Name, JsonObject Event, IReadOnlyDictionary<string, string> Headers);

    readonly ConcurrentDictionary<string, Func<JsonObject, Task<JsonObject>>> handlers = new();
    readonly ConcurrentDictionary<string, string> secrets = new();
    WebApplication? app;

    public ConcurrentQueue<Call> Calls { get; } = new();
    public int Port { get; private init; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>A Lambda function: its ARN (any account but Portal's) and its handler (throw to fail).</summary>
    public string Lambda(string name, Func<JsonObject, JsonObject> handler)
    {
        handlers[name] = ev => Task.FromResult(handler(ev));
        return $"arn:aws:lambda:us-east-1:123456789012:function:{name}";
    }

    /// <summary>A webhook: its URL; the body must be signed with the secret.</summary>
    public string Webhook(string name, string secret, Func<JsonObject, JsonObject> handler) =>
        Webhook(name, secret, ev => Task.FromResult(handler(ev)));

    /// <summary>A webhook whose handler does asynchronous work (e.g. calls back into Portal's API) before it answers.</summary>
    public string Webhook(string name, string secret, Func<JsonObject, Task<JsonObject>> handler)
    {
        handlers[name] = handler;
        secrets[name] = secret;
        return $"{BaseUrl}/hook/{name}";
    }

    public List<Call> CallsOf(string name) => Calls.Where(c => c.Name == name).ToList();

    public static FunctionHost Start()
    {
        var host = new FunctionHost { Port = PortalServer.FreePort() };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(host.BaseUrl);
        host.app = builder.Build();
        host.app.MapPost("/2015-03-31/functions/{function}/invocations", async (HttpContext http, string function) =>
        {
            var authorization = http.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith($"AWS4-HMAC-SHA256 Credential={TriggerServer.LambdaAccessKey}/", StringComparison.Ordinal)
                || !authorization.Contains("/lambda/aws4_request") || string.IsNullOrEmpty(http.Request.Headers["X-Amz-Date"]))
                return Results.Json(new { message = "Missing Authentication Token" }, statusCode: 403);
            var name = Uri.UnescapeDataString(function).Split(':').Last();
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            return await host.Run(name, body, http, lambda: true);
        });
        host.app.MapPost("/hook/{name}", async (HttpContext http, string name) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var timestamp = http.Request.Headers["X-Portal-Timestamp"].ToString();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(host.secrets[name]),
                Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
            var given = http.Request.Headers["X-Portal-Signature"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given))
                || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)) > 300)
                return Results.Json(new { message = "bad signature" }, statusCode: 401);
            return await host.Run(name, body, http, lambda: false);
        });
        host.app.StartAsync().GetAwaiter().GetResult();
        return host;
    }

    async Task<IResult> Run(string name, string body, HttpContext http, bool lambda)
    {
        var ev = JsonNode.Parse(body)!.AsObject();
        Calls.Enqueue(new Call(name, ev.DeepClone().AsObject(), http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (!handlers.TryGetValue(name, out var handler))
            return Results.Json(new { message = $"Function not found: {name}" }, statusCode: 404);
        try
        {
            return Results.Content((await handler(ev)).ToJsonString(), "application/json");
        }
        catch (Exception e)
        {
            // Lambda reports a handler's error as 200 with X-Amz-Function-Error; a webhook as an error status.
            if (!lambda) return Results.Json(new { errorMessage = e.Message }, statusCode: 500);
            http.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            return Results.Json(new { errorMessage = e.Message, errorType = "Error" });
        }
    }

    public void Dispose() => app?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
