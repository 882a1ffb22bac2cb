using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;
using Portal.Tests.TriggerEngine;

namespace Portal.Tests.ScaleOut;

/// <summary>SIGTERM (a rolling deployment, a scale-in) lets the requests in flight finish before the process ends.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_request_in_flight_when_SIGTERM_arrives_completes_and_the_process_then_exits_cleanly()
    {
        using var functions = FunctionHost.Start();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const string Secret = "shutdown-webhook-secret-000";
        // The slow request: an AdminCreateUser whose pre sign-up webhook answers only when the test says so.
        var hook = functions.Webhook("slow", Secret, async ev =>
        {
            arrived.TrySetResult();
            await release.Task;
            return ev;
        });
        var folder = Path.Combine(Path.GetTempPath(), "portal-shutdown-" + Guid.NewGuid().ToString("n"));
        var environment = Environment(folder);
        environment["Portal__Outbound__AllowPrivateNetworks"] = "true";
        environment["Portal__Triggers__TimeoutSeconds"] = "300";
        await using var portal = new PortalProcess(PortalProcess.BuildOutput, environment);
        try
        {
            await portal.Running(TimeSpan.FromMinutes(3));
            var api = new RemoteCognito(new HttpClient { BaseAddress = new Uri(portal.BaseUrl + "/"), Timeout = TimeSpan.FromMinutes(5) },
                new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
            var poolId = (await api.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("drain") })).UserPool!.Id!;
            await api.Send(new PutTriggerFunctionRequest { UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Webhook, Url = hook, Secret = Secret });

            var inFlight = api.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = "in-flight", MessageAction = "SUPPRESS" });
            await arrived.Task.WaitAsync(TimeSpan.FromMinutes(2));
            await portal.Terminate();
            await portal.Printed("Application is shutting down", TimeSpan.FromMinutes(1));
            Assert.False(portal.HasExited);
            release.SetResult();

            var created = await inFlight.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal("in-flight", created.User!.Username);
            await portal.Exited(TimeSpan.FromMinutes(1));
            Assert.Equal(0, portal.ExitCode);
        }
        finally
        {
            release.TrySetResult();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task With_a_drain_period_readiness_fails_at_once_on_SIGTERM_while_requests_are_still_served()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-drain-" + Guid.NewGuid().ToString("n"));
        var environment = Environment(folder);
        environment["Portal__Shutdown__DrainSeconds"] = "6";
        await using var portal = new PortalProcess(PortalProcess.BuildOutput, environment);
        try
        {
            await portal.Running(TimeSpan.FromMinutes(3));
            using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl + "/") };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
            var api = new RemoteCognito(new HttpClient { BaseAddress = new Uri(portal.BaseUrl + "/") },
                new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));

            await portal.Terminate();
            await portal.Printed("Draining for 6 s", TimeSpan.FromMinutes(1));
            // Told to stop: the load balancer hears "not ready", yet a request that still arrives is served.
            var ready = await http.GetAsync("readyz");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("Unhealthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var pools = await api.Send(new ListUserPoolsRequest { MaxResults = 10 });
            Assert.NotNull(pools.UserPools);
            Assert.False(portal.HasExited);

            await portal.Exited(TimeSpan.FromMinutes(1));
            Assert.Equal(0, portal.ExitCode);
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    /// <summary>One Portal process on its own SQLite folder, with the test API key and no demo pool.</summary>
    static Dictionary<string, string> Environment(string folder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Portal__Storage__DataFolder"] = folder,
        ["Portal__Bootstrap__AdminPassword"] = PortalServer.AdminPassword,
        ["Portal__Bootstrap__DemoPool"] = "false",
        ["Portal__Api__AccessKeys__0__AccessKeyId"] = PortalServer.AccessKeyId,
        ["Portal__Api__AccessKeys__0__SecretAccessKey"] = PortalServer.SecretAccessKey,
    };
}
