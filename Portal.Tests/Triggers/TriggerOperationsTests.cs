using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Tests.TriggerEngine;

/// <summary>The portal-only trigger operations over the wire (AWS JSON 1.1, SigV4), as the admin portal and tools use them.</summary>
[Collection(TriggerCollection.Name)]
public sealed class TriggerOperationsTests(TriggerServer server)
{
    [Fact]
    public async Task Deleting_the_pool_removes_its_functions_webhook_secret_signing_key_and_messages()
    {
        var admin = server.Admin;
        var (poolId, _) = await server.CreatePool();
        await admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline, Code = "exports.handler = async (event) => event;",
        });
        await admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Webhook, Url = "https://hooks.example.com/confirm",
            Secret = "deleted-with-the-pool-00",
        });
        Assert.NotNull((await admin.Send(new GetSigningCertificateRequest { UserPoolId = poolId })).Certificate);
        await admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = TriggerServer.Unique("gone"), UserAttributes = [new() { Name = "email", Value = "gone@example.com" }],
        });

        async Task<List<string>> Left()
        {
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var settings = await db.Settings.Where(s => s.Key.Contains(poolId)).Select(s => "setting " + s.Key).ToListAsync();
            var messages = await db.Outbox.Where(m => m.UserPoolId == poolId).Select(m => "message to " + m.Destination).ToListAsync();
            return [.. settings, .. messages];
        }
        Assert.True((await Left()).Count >= 4, string.Join(", ", await Left()));

        await admin.Send(new DeleteUserPoolRequest { UserPoolId = poolId });
        Assert.Empty(await Left());
    }

    [Fact]
    public async Task Put_list_test_log_get_replay_and_delete_over_the_wire()
    {
        var admin = server.Admin;
        var (poolId, clientId) = await server.CreatePool();
        var put = await admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline,
            Code = "exports.handler = async (event) => { console.log('v1'); event.response.autoConfirmUser = true; return event; };",
        });
        var arn = $"arn:aws:lambda:us-east-1:000000000000:function:portal-{poolId}-PreSignUp";
        Assert.Equal(arn, put.TriggerFunction!.FunctionArn);
        Assert.Equal(arn, (await admin.Send(new DescribeUserPoolRequest { UserPoolId = poolId })).UserPool!.LambdaConfig!.PreSignUp);

        var hook = server.Functions.Webhook(TriggerServer.Unique("ops"), "ops-webhook-secret-00", ev => ev);
        await admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Webhook, Url = hook, Secret = "ops-webhook-secret-00",
        });
        // An update without a secret keeps the stored one.
        await admin.Send(new PutTriggerFunctionRequest { UserPoolId = poolId, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Webhook, Url = hook });

        var list = (await admin.Send(new ListTriggerFunctionsRequest { UserPoolId = poolId })).TriggerFunctions!;
        Assert.Equal(["PreSignUp", "PostConfirmation"], list.Select(f => f.Trigger!));
        Assert.Equal(TriggerTargetKinds.Inline, list[0].Kind);
        Assert.Contains("console.log('v1')", list[0].Code);
        Assert.Equal(TriggerTargetKinds.Webhook, list[1].Kind);
        Assert.True(list[1].HasSecret);
        Assert.Equal(hook, list[1].Url);

        // A sample event per source, and a draft that is not saved.
        var test = (await admin.Send(new TestTriggerRequest { UserPoolId = poolId, Trigger = "PreSignUp", TriggerSource = "PreSignUp_AdminCreateUser" })).Run!;
        Assert.Equal("Succeeded", test.Outcome);
        Assert.Equal("PreSignUp_AdminCreateUser", JsonNode.Parse(test.Event!)!["triggerSource"]!.ToString());
        Assert.True((bool)JsonNode.Parse(test.Response!)!["response"]!["autoConfirmUser"]!);
        Assert.Equal("INFO\tv1\n", test.Logs);
        var draft = (await admin.Send(new TestTriggerRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Code = "exports.handler = async (event) => { throw new Error('draft says no'); };",
        })).Run!;
        Assert.Equal("Failed", draft.Outcome);
        Assert.Equal("draft says no", draft.Error);
        Assert.Empty(await server.Invocations(poolId));

        // A real sign-up is logged; replaying it runs the current code, changes nothing and logs nothing.
        var username = TriggerServer.Unique("ops");
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = "Passw0rd!x", UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }],
        });
        var summaries = (await admin.Send(new ListTriggerInvocationsRequest { UserPoolId = poolId, Outcome = "Succeeded", UserName = username })).Invocations!;
        var summary = Assert.Single(summaries);
        Assert.Null(summary.Event);
        var got = (await admin.Send(new GetTriggerInvocationRequest { Id = summary.Id })).Invocation!;
        Assert.Equal("PreSignUp_SignUp", got.TriggerSource);
        Assert.Equal($"inline:portal-{poolId}-PreSignUp", got.Target);
        Assert.Contains(username, got.Event);

        await server.PutInline(poolId, "PreSignUp", "exports.handler = async (event) => { console.log('v2'); return event; };");
        var replay = (await admin.Send(new ReplayTriggerInvocationRequest { Id = summary.Id })).Run!;
        Assert.Equal("Succeeded", replay.Outcome);
        Assert.Equal("INFO\tv2\n", replay.Logs);
        Assert.Single((await admin.Send(new ListTriggerInvocationsRequest { UserPoolId = poolId })).Invocations!);

        await admin.Send(new DeleteTriggerFunctionRequest { UserPoolId = poolId, Trigger = "PreSignUp" });
        Assert.Null((await admin.Send(new DescribeUserPoolRequest { UserPoolId = poolId })).UserPool!.LambdaConfig?.PreSignUp);
        Assert.Equal(["PostConfirmation"], (await admin.Send(new ListTriggerFunctionsRequest { UserPoolId = poolId })).TriggerFunctions!.Select(f => f.Trigger!));
    }

    [Fact]
    public async Task Bad_functions_are_refused_when_put()
    {
        var (poolId, _) = await server.CreatePool();
        var syntax = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline, Code = "exports.handler = async (event => {",
        }));
        Assert.StartsWith("The code does not parse:", syntax.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Webhook, Url = "https://hooks.example.com/x",
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignIn", Kind = TriggerTargetKinds.Inline, Code = "exports.handler = e => e;",
        }));
    }

    [Fact]
    public async Task A_lambda_config_set_with_create_user_pool_calls_the_lambda_endpoint()
    {
        var name = TriggerServer.Unique("cup");
        var arn = server.Functions.Lambda(name, ev =>
        {
            ev["response"]!["autoConfirmUser"] = true;
            return ev;
        });
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest { LambdaConfig = new LambdaConfigType { PreSignUp = arn } });
        var signUp = await server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = TriggerServer.Unique("l"), Password = "Passw0rd!x" });
        Assert.True(signUp.UserConfirmed);
        Assert.Single(server.Functions.CallsOf(name));
        var listed = Assert.Single((await server.Admin.Send(new ListTriggerFunctionsRequest { UserPoolId = poolId })).TriggerFunctions!);
        Assert.Equal(TriggerTargetKinds.Lambda, listed.Kind);
        Assert.Equal(arn, listed.FunctionArn);
    }

    [Fact]
    public async Task A_lambda_error_and_an_unreachable_lambda_fail_the_step()
    {
        var name = TriggerServer.Unique("err");
        var arn = server.Functions.Lambda(name, _ => throw new InvalidOperationException("Boom from Lambda"));
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest { LambdaConfig = new LambdaConfigType { PreSignUp = arn } });
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = TriggerServer.Unique("l"), Password = "Passw0rd!x" }));
        Assert.Equal("PreSignUp failed with error Boom from Lambda.", e.Message);

        await server.Admin.Send(new UpdateUserPoolRequest
        {
            UserPoolId = poolId, LambdaConfig = new LambdaConfigType { PreSignUp = "arn:aws:lambda:us-east-1:123456789012:function:does-not-exist" },
        });
        var missing = await Assert.ThrowsAsync<UserLambdaValidationException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = TriggerServer.Unique("l"), Password = "Passw0rd!x" }));
        Assert.Equal("PreSignUp failed with error Function not found: does-not-exist.", missing.Message);
    }
}

/// <summary>The invocation log keeps Portal:Triggers:RetentionDays (7 by default) of invocations.</summary>
[Collection(TriggerCollection.Name)]
public sealed class TriggerRetentionTests(TriggerServer server)
{
    [Fact]
    public async Task Invocations_older_than_the_retention_period_are_swept()
    {
        var (poolId, _) = await server.CreatePool();
        var now = DateTimeOffset.UtcNow;
        var old = Guid.NewGuid();
        var recent = Guid.NewGuid();
        await server.Db(async db =>
        {
            foreach (var (id, age) in new[] { (old, TimeSpan.FromDays(8)), (recent, TimeSpan.FromDays(6)) })
                db.TriggerInvocations.Add(new global::Portal.Server.Storage.TriggerInvocationRow
                {
                    Id = id, UserPoolId = poolId, Trigger = "PreSignUp", TriggerSource = "PreSignUp_SignUp", Target = "inline:x",
                    StartedAt = now - age, Outcome = "Succeeded",
                });
            return await db.SaveChangesAsync();
        });
        var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<global::Portal.Server.Triggers.TriggerLog>(server.Services);
        await server.Db(db => log.Sweep(db, CancellationToken.None));
        var left = (await server.Admin.Send(new ListTriggerInvocationsRequest { UserPoolId = poolId })).Invocations!.Select(i => i.Id!.Value).ToList();
        Assert.Equal([recent], left);
    }
}
