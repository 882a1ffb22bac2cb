using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Tests.ScaleOut;

/// <summary>A reverse proxy (YARP) in front of Portal instances, as an operator's load balancer: round robin over the
/// destinations the active health check (<c>/readyz</c> every 500 ms) finds ready; a request whose connection was refused
/// never reached an instance, so it goes to another (as nginx's <c>proxy_next_upstream error</c>). It logs every
/// answer with its destination and when it was sent.</summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    /// <summary>One attempt: <paramref name="SentElsewhere"/> when the connection was refused and the request then went to another instance.</summary>
    public sealed record Entry(string? Destination, int Status, ForwarderError? Error, long SentAt, long AnsweredAt, bool SentElsewhere = false);

    readonly WebApplication app;
    public ConcurrentQueue<Entry> Log { get; } = new();
    public string BaseUrl { get; }
    public static long Now => Stopwatch.GetTimestamp();

    public LoadBalancer(int port, IReadOnlyList<int> destinations)
    {
        BaseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        builder.Logging.ClearProviders();
        var route = new RouteConfig { RouteId = "portal", ClusterId = "portal", Match = new RouteMatch { Path = "{**all}" } }
            .WithTransformUseOriginalHostHeader();
        var cluster = new ClusterConfig
        {
            ClusterId = "portal",
            LoadBalancingPolicy = "RoundRobin",
            Destinations = destinations.Select((p, i) => (i, p)).ToDictionary(d => "instance" + d.i, d => new DestinationConfig { Address = $"http://127.0.0.1:{d.p}/" }),
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true, Interval = TimeSpan.FromMilliseconds(500), Timeout = TimeSpan.FromSeconds(2), Path = "/readyz",
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                },
            },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(2) },
        };
        builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);
        app = builder.Build();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(async (http, next) =>
            {
                var sent = Now;
                http.Request.EnableBuffering();
                await next();
                var feature = http.GetReverseProxyFeature();
                var tried = new List<DestinationState>();
                // Refused: the instance is down and never saw the request; another one gets it.
                while (http.Features.Get<IForwarderErrorFeature>() is { } failed && !http.Response.HasStarted && Refused(failed.Exception)
                       && feature.ProxiedDestination is { } down)
                {
                    tried.Add(down);
                    var others = feature.AllDestinations.Where(d => !tried.Contains(d) && d.Health.Active != DestinationHealth.Unhealthy).ToList();
                    Log.Enqueue(new Entry(down.DestinationId, StatusCodes.Status502BadGateway, failed.Error, sent, Now, others.Count > 0));
                    if (others.Count == 0) break;
                    feature.AvailableDestinations = others;
                    http.Features.Set<IForwarderErrorFeature>(null);
                    http.Response.Clear();
                    http.Request.Body.Position = 0;
                    sent = Now;
                    await next();
                }
                Log.Enqueue(new Entry(feature.ProxiedDestination?.DestinationId, http.Response.StatusCode,
                    http.Features.Get<IForwarderErrorFeature>()?.Error, sent, Now));
            });
            proxy.UseLoadBalancing();
        });
        app.StartAsync().GetAwaiter().GetResult();
    }

    static bool Refused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Issue #20, "N instances behind a real load balancer": three instances on one PostgreSQL behind the proxy, mixed
/// traffic from several workers while one instance is killed (SIGKILL) and another restarted (SIGTERM, then started again).</summary>
public sealed class LoadBalancedClusterTests(Postgres postgres) : IClassFixture<Postgres>
{
    const int Workers = 4;
    const string Password = "Passw0rd!-long";

    sealed class Traffic
    {
        public ConcurrentBag<string> Acknowledged { get; } = [];
        public int Completed;
        public int Failed;
        public ConcurrentBag<string> Failures { get; } = [];
    }

    [Fact]
    public async Task Mixed_traffic_survives_one_instance_killed_and_another_restarted_behind_the_proxy()
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "portal_" + Guid.NewGuid().ToString("n")[..12] }.ToString();
        var folder = Path.Combine(Path.GetTempPath(), "portal-lb-" + Guid.NewGuid().ToString("n"));
        var proxyPort = PortalServer.FreePort();
        var environment = TwoProcessesOnPostgres.Environment(folder, connection);
        // Every instance names itself by the proxy's address: tokens minted by one are checked by the others.
        environment["Portal__PublicBaseUrl"] = $"http://127.0.0.1:{proxyPort}";
        environment["Portal__RateLimits__Enabled"] = "false";
        // A rolling restart as operators run one: /readyz fails at once on SIGTERM and the listener stays open until the
        // proxy's health checks (every 500 ms) have taken the instance out.
        environment["Portal__Shutdown__DrainSeconds"] = "3";
        var ports = Enumerable.Range(0, 3).Select(_ => PortalServer.FreePort()).ToArray();
        var instances = ports.Select(p => new PortalProcess(PortalProcess.BuildOutput, environment, p)).ToArray();
        try
        {
            await Task.WhenAll(instances.Select(i => i.Running(TimeSpan.FromMinutes(4))));
            await using var proxy = new LoadBalancer(proxyPort, ports);
            var admin = new RemoteCognito(new HttpClient { BaseAddress = new Uri(proxy.BaseUrl + "/") },
                new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
            var anonymous = new RemoteCognito(new HttpClient { BaseAddress = new Uri(proxy.BaseUrl + "/") }, null);
            var poolId = (await admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("lb") })).UserPool!.Id!;
            var clientId = (await admin.Send(new CreateUserPoolClientRequest
            {
                UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            })).UserPoolClient!.ClientId!;
            await admin.Send(new PutTriggerFunctionRequest
            {
                UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline,
                Code = "exports.handler = async (event) => { event.response.autoConfirmUser = true; return event; };",
            });

            var traffic = new Traffic();
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(w, admin, anonymous, poolId, clientId, traffic, stop.Token))).ToArray();

            await Until(() => traffic.Completed >= 40, "40 requests before the kill");
            using (var kill = Process.Start("kill", ["-KILL", instances[1].ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await instances[1].Exited(TimeSpan.FromSeconds(30));
            var killedAt = LoadBalancer.Now;
            var atKill = traffic.Completed;

            await Until(() => traffic.Completed >= atKill + 40, "40 requests after the kill");
            await instances[2].Terminate();
            await instances[2].Exited(TimeSpan.FromSeconds(60));
            Assert.Equal(0, instances[2].ExitCode);
            await instances[2].DisposeAsync();
            instances[2] = new PortalProcess(PortalProcess.BuildOutput, environment, ports[2]);
            await instances[2].Running(TimeSpan.FromMinutes(2));
            var atRestart = traffic.Completed;
            var restartedAt = LoadBalancer.Now;
            await Until(() => traffic.Completed >= atRestart + 40 && proxy.Log.Any(e => e.Destination == "instance2" && e.SentAt > restartedAt && e.Status == 200),
                "40 requests after the restart, some served by the restarted instance");
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            // 5xx only for requests in flight on the killed instance when it died (at most one per worker).
            var errors = proxy.Log.Where(e => e.Status >= 500 && !e.SentElsewhere).ToList();
            Assert.All(errors, e =>
            {
                Assert.Equal("instance1", e.Destination);
                Assert.True(e.SentAt <= killedAt, $"a 5xx for a request sent to instance1 after it was killed ({e.Error})");
            });
            Assert.InRange(errors.Count, 0, Workers);
            Assert.True(traffic.Failed <= Workers, $"{traffic.Failed} requests failed: {string.Join("; ", traffic.Failures.Take(5))}");
            // The survivors served on, and the restarted one took its share again.
            Assert.Contains(proxy.Log, e => e.Destination == "instance0" && e.SentAt > killedAt && e.Status == 200);
            Assert.Contains(proxy.Log, e => e.Destination == "instance2" && e.SentAt > restartedAt && e.Status == 200);
            Assert.DoesNotContain(proxy.Log, e => e.Destination == "instance1" && e.SentAt > killedAt && e.Status < 500);

            // Nothing acknowledged was lost: every user whose sign-up was answered exists and signs in.
            Assert.True(traffic.Acknowledged.Count >= 10, $"only {traffic.Acknowledged.Count} sign-ups were acknowledged");
            await Parallel.ForEachAsync(traffic.Acknowledged, new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (username, ct) =>
            {
                var signedIn = await anonymous.Send(new InitiateAuthRequest
                {
                    ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = Password },
                }, ct);
                Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
            });
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException("Waited 90 s for " + what);
            await tick.WaitForNextTickAsync();
        }
    }

    /// <summary>One worker: a sign-up, its sign-in, a refresh and an administrator's read, again and again.</summary>
    static async Task Work(int worker, RemoteCognito admin, RemoteCognito anonymous, string poolId, string clientId, Traffic traffic, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var username = $"w{worker}-{i}-{Guid.NewGuid().ToString("n")[..6]}";
            try
            {
                await anonymous.Send(new SignUpRequest { ClientId = clientId, Username = username, Password = Password }, CancellationToken.None);
                traffic.Acknowledged.Add(username);
                Interlocked.Increment(ref traffic.Completed);
                var signedIn = await anonymous.Send(new InitiateAuthRequest
                {
                    ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = Password },
                }, CancellationToken.None);
                Interlocked.Increment(ref traffic.Completed);
                await anonymous.Send(new InitiateAuthRequest
                {
                    ClientId = clientId, AuthFlow = "REFRESH_TOKEN_AUTH",
                    AuthParameters = new() { ["REFRESH_TOKEN"] = signedIn.AuthenticationResult!.RefreshToken! },
                }, CancellationToken.None);
                Interlocked.Increment(ref traffic.Completed);
                await admin.Send(new ListUsersRequest { UserPoolId = poolId, Limit = 5 }, CancellationToken.None);
                Interlocked.Increment(ref traffic.Completed);
            }
            catch (Exception e) when (e is CognitoException or HttpRequestException or System.Text.Json.JsonException)
            {
                Interlocked.Increment(ref traffic.Failed);
                traffic.Failures.Add($"{username}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
