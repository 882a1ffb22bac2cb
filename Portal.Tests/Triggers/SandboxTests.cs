using Portal.Client.Contract;

namespace Portal.Tests.TriggerEngine;

/// <summary>Inline JavaScript runs sandboxed: no modules, no CLR, no endless loops or memory, and each attempt is
/// stopped with a clear error that the invocation log keeps.</summary>
[Collection(TriggerCollection.Name)]
public sealed class SandboxTests(TriggerServer server)
{
    /// <summary>Runs the code as a pool's pre sign-up trigger through a real sign-up; returns the error and the logged invocation.</summary>
    async Task<(UserLambdaValidationException Error, TriggerInvocationType Logged)> SignUpWith(string code)
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PreSignUp", code);
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = TriggerServer.Unique("sb"), Password = "Passw0rd!x",
            UserAttributes = [new() { Name = "email", Value = "sandbox@example.com" }],
        }));
        return (e, Assert.Single(await server.Invocations(poolId, "PreSignUp")));
    }

    [Fact]
    public async Task An_endless_loop_times_out_after_five_seconds()
    {
        var started = DateTime.UtcNow;
        var (e, logged) = await SignUpWith("exports.handler = async (event) => { while (true) {} };");
        Assert.Equal("PreSignUp failed with error Task timed out after 5.00 seconds.", e.Message);
        Assert.Equal("TimedOut", logged.Outcome);
        Assert.InRange(logged.DurationMs!.Value, 4900, 9000);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_huge_allocation_is_stopped_by_the_memory_limit()
    {
        var (e, logged) = await SignUpWith("""
            exports.handler = async (event) => {
              const hoard = [];
              for (let i = 0; ; i++) hoard.push("x".repeat(1024 * 1024) + i);
            };
            """);
        Assert.Equal("Failed", logged.Outcome);
        Assert.Contains("MB of memory", logged.Error);
        Assert.Contains("MB of memory", e.Message);
    }

    [Fact]
    public async Task Require_is_refused_with_a_clear_error()
    {
        var (e, logged) = await SignUpWith("const fs = require('fs');\nexports.handler = async (event) => event;");
        Assert.Equal("Failed", logged.Outcome);
        Assert.Equal("require('fs') is not available: inline triggers run sandboxed, without modules, files or network access.", logged.Error);
        Assert.StartsWith("PreSignUp failed with error require('fs') is not available", e.Message);
    }

    [Fact]
    public async Task The_clr_is_out_of_reach()
    {
        var (_, file) = await SignUpWith("exports.handler = async (event) => { System.IO.File.ReadAllText('/etc/passwd'); return event; };");
        Assert.Equal("Failed", file.Outcome);
        Assert.Equal("System is not defined", file.Error);

        var (_, import) = await SignUpWith("exports.handler = async (event) => { const io = importNamespace('System.IO'); return event; };");
        Assert.Equal("importNamespace is not defined", import.Error);

        var (_, host) = await SignUpWith("exports.handler = async (event) => { return fetch('http://169.254.169.254/'); };");
        Assert.Equal("fetch is not defined", host.Error);
    }

    [Fact]
    public async Task Deep_recursion_is_stopped()
    {
        var (_, logged) = await SignUpWith("function down(n) { return down(n + 1) + 1; }\nexports.handler = async (event) => down(0);");
        Assert.Equal("Failed", logged.Outcome);
        Assert.Equal("RangeError: Maximum call stack size exceeded", logged.Error);
    }

    [Fact]
    public async Task Console_output_is_kept_with_a_failure()
    {
        var (e, logged) = await SignUpWith("""
            exports.handler = (event, context, callback) => {
              console.log("checking", { user: event.userName });
              console.warn("about to fail");
              callback("plain string error");
            };
            """);
        Assert.Equal("PreSignUp failed with error plain string error.", e.Message);
        Assert.Contains("INFO\tchecking {\"user\":\"", logged.Logs);
        Assert.Contains("WARN\tabout to fail", logged.Logs);
    }
}
