using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>Cognito Events' SyncTrigger over the wire, signed as SDKs sign: the pool's function (inline JavaScript run by
/// Portal's trigger engine) gets Cognito's sync event before UpdateRecords commits, and what it answers is what is stored;
/// a function that throws or runs out of time rejects the update with Cognito's error and nothing of it is applied. Every
/// run is in the trigger log, and can be replayed from there.</summary>
[Collection(ServerCollection.Name)]
public sealed class EventsTests(PortalServer server)
{
    readonly SyncKit kit = new(server);

    /// <summary>An identity pool whose SyncTrigger is the inline function <paramref name="code"/> (stored as a trigger
    /// function of a user pool, named by its Portal ARN as the portal's picker names it).</summary>
    async Task<(string PoolId, string Developer)> PoolWithSyncTrigger(string code)
    {
        var userPool = (await kit.Admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("sync-fn") })).UserPool!.Id!;
        var function = await kit.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = userPool, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline, Code = code,
        });
        var pool = await kit.Pool();
        var set = await kit.Call(SyncKit.Developer, "POST", SyncKit.Path(pool.PoolId, tail: "/events"), new Dictionary<string, object>
        {
            ["Events"] = new Dictionary<string, string> { ["SyncTrigger"] = function.TriggerFunction!.FunctionArn! },
        });
        Assert.True(set.Status == 200, $"SetCognitoEvents answered {set.Status} {set.ErrorType}: {set.Message}");
        var got = await kit.Call(SyncKit.Developer, "GET", SyncKit.Path(pool.PoolId, tail: "/events"));
        Assert.Equal(function.TriggerFunction.FunctionArn, got.Body.GetProperty("Events").GetProperty("SyncTrigger").GetString());
        return pool;
    }

    async Task<List<TriggerInvocationRow>> Log(string identityPoolId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDb>().TriggerInvocations.AsNoTracking()
            .Where(t => t.UserPoolId == identityPoolId).OrderBy(t => t.StartedAt).ToListAsync();
    }

    [Fact]
    public async Task A_SyncTrigger_that_rewrites_values_gets_the_documented_event_and_the_rewrite_is_what_is_stored()
    {
        var pool = await PoolWithSyncTrigger("""
            exports.handler = async (event) => {
              for (const key in event.datasetRecords) {
                const record = event.datasetRecords[key];
                if (record.op === 'replace') record.newValue = record.newValue.toUpperCase();
              }
              return event;
            };
            """);
        var phone = await kit.NewDevice(pool);

        var first = await kit.Update(phone, "profile", SyncKit.Replace("nickname", "ada", 0));
        Assert.True(first.Status == 200, $"UpdateRecords answered {first.Status} {first.ErrorType}: {first.Message}");
        Assert.Equal("ADA", SyncKit.ByKey(first.Body.GetProperty("Records"))["nickname"].GetProperty("Value").GetString());
        Assert.Equal(200, (await kit.Update(phone, "profile", SyncKit.Replace("nickname", "countess", 1), SyncKit.Replace("title", "lady", 0))).Status);

        var stored = SyncKit.ByKey((await kit.List(phone, "profile")).GetProperty("Records"));
        Assert.Equal("COUNTESS", stored["nickname"].GetProperty("Value").GetString());
        Assert.Equal("LADY", stored["title"].GetProperty("Value").GetString());

        var log = await Log(pool.PoolId);
        Assert.Equal(2, log.Count);
        Assert.All(log, l => Assert.Equal("Succeeded", l.Outcome));
        Assert.All(log, l => Assert.Equal("SyncTrigger", l.Trigger));
        var ev = JsonDocument.Parse(log[1].Event).RootElement;
        Assert.Equal(2, ev.GetProperty("version").GetInt32());
        Assert.Equal("SyncTrigger", ev.GetProperty("eventType").GetString());
        Assert.Equal("us-east-1", ev.GetProperty("region").GetString());
        Assert.Equal(pool.PoolId, ev.GetProperty("identityPoolId").GetString());
        Assert.Equal(phone.IdentityId, ev.GetProperty("identityId").GetString());
        Assert.Equal("profile", ev.GetProperty("datasetName").GetString());
        var nickname = ev.GetProperty("datasetRecords").GetProperty("nickname");
        Assert.Equal("ADA", nickname.GetProperty("oldValue").GetString());
        Assert.Equal("countess", nickname.GetProperty("newValue").GetString());
        Assert.Equal("replace", nickname.GetProperty("op").GetString());
        Assert.Equal(JsonValueKind.Null, ev.GetProperty("datasetRecords").GetProperty("title").GetProperty("oldValue").ValueKind);

        // The trigger log's replay runs today's function with the logged event.
        var replay = await kit.Admin.Send(new ReplayTriggerInvocationRequest { Id = log[1].Id });
        Assert.Equal("Succeeded", replay.Run!.Outcome);
        Assert.Equal("COUNTESS", JsonDocument.Parse(replay.Run.Response!).RootElement.GetProperty("datasetRecords").GetProperty("nickname").GetProperty("newValue").GetString());
    }

    [Fact]
    public async Task A_SyncTrigger_that_throws_rejects_the_update_with_Cognitos_error_and_nothing_of_it_is_applied()
    {
        var pool = await PoolWithSyncTrigger("""
            exports.handler = async (event) => {
              const score = event.datasetRecords.score;
              if (score && score.op === 'replace' && Number(score.newValue) > 1000) throw new Error('score ' + score.newValue + ' is not possible');
              return event;
            };
            """);
        var phone = await kit.NewDevice(pool);
        Assert.Equal(200, (await kit.Update(phone, "game", SyncKit.Replace("score", "10", 0))).Status);

        var cheat = await kit.Update(phone, "game", SyncKit.Replace("score", "999999", 1), SyncKit.Replace("level", "99", 0));
        Assert.Equal(400, cheat.Status);
        Assert.Equal("InvalidLambdaFunctionOutputException", cheat.ErrorType);
        Assert.Contains("score 999999 is not possible", cheat.Message, StringComparison.Ordinal);

        var records = await kit.List(phone, "game");
        Assert.Equal(1, records.GetProperty("DatasetSyncCount").GetInt64());
        var stored = SyncKit.ByKey(records.GetProperty("Records"));
        Assert.Equal(["score"], stored.Keys);
        Assert.Equal("10", stored["score"].GetProperty("Value").GetString());
        var log = await Log(pool.PoolId);
        Assert.Equal(["Succeeded", "Failed"], log.Select(l => l.Outcome));
        Assert.Contains("score 999999 is not possible", log[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SyncTrigger_that_runs_out_of_time_rejects_the_update()
    {
        var pool = await PoolWithSyncTrigger("exports.handler = async (event) => { while (true) { } };");
        var phone = await kit.NewDevice(pool);

        var update = await kit.Update(phone, "settings", SyncKit.Replace("theme", "dark", 0));
        Assert.Equal(400, update.Status);
        Assert.Equal("InvalidLambdaFunctionOutputException", update.ErrorType);
        Assert.Contains("timed out", update.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False((await kit.List(phone, "settings")).GetProperty("DatasetExists").GetBoolean());
        Assert.Equal("TimedOut", Assert.Single(await Log(pool.PoolId)).Outcome);
    }
}
