using Bunit;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Sync;
using Portal.Client.Pages.SyncParts;
using Portal.Tests.Portal;

namespace Portal.Tests.Sync;

/// <summary>The Sync page's Cognito Events card against the real engine: an administrator picks one of the trigger
/// functions Portal runs as the pool's SyncTrigger (stored as SetCognitoEvents stores it) and tests it with a sample
/// sync event, seeing what it answered.</summary>
public sealed class EventsCardTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    [Fact]
    public void An_administrator_picks_a_function_as_SyncTrigger_and_tests_it_with_a_sample_event()
    {
        var userPool = Engine.AddPool("sync-functions");
        var function = Engine.Setup(new PutTriggerFunctionRequest
        {
            UserPoolId = userPool, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline,
            Code = "exports.handler = async (event) => { for (const k in event.datasetRecords) { const r = event.datasetRecords[k]; r.newValue = String(r.newValue).toUpperCase(); } return event; };",
        }).TriggerFunction!.FunctionArn!;
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = "events-" + Guid.NewGuid().ToString("n")[..8], AllowUnauthenticatedIdentities = true }).IdentityPoolId!;

        var card = Ctx.Render<EventsCard>(p => p.Add(c => c.IdentityPoolId, pool));
        card.WaitForAssertion(() => card.Find($"[data-testid='use-{userPool}-PreSignUp']"), Wait);
        Assert.Equal("none", card.Find("[data-testid='events-current'] code").TextContent.Trim());

        Button(card, $"use-{userPool}-PreSignUp").Click();
        Button(card, "events-save").Click();
        card.WaitForAssertion(() => Assert.Equal(function, card.Find("[data-testid='events-current'] code").TextContent.Trim()), Wait);
        Assert.Equal(function, Engine.Setup(new GetCognitoEventsRequest { IdentityPoolId = pool }).Events!["SyncTrigger"]);

        Button(card, "events-test").Click();
        card.WaitForAssertion(() => Assert.Equal("Succeeded", card.Find("[data-testid='events-test-outcome']").TextContent.Trim()), Wait);
        Assert.Contains("SAMPLE VALUE", card.Find("[data-testid='events-test-response']").TextContent);
        Assert.Contains("\"eventType\":\"SyncTrigger\"", Engine.Responses<TestSyncTriggerResponse>().Single().Run!.Event);
    }
    [Fact]
    public void The_picker_lists_every_function_the_identity_pool_can_use_the_other_identity_pools_SyncTriggers_too()
    {
        var userPool = Engine.AddPool("sync-picker");
        var portalFunction = Engine.Setup(new PutTriggerFunctionRequest
        {
            UserPoolId = userPool, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Inline, Code = "exports.handler = async (event) => event;",
        }).TriggerFunction!.FunctionArn!;
        string NewPool(string name) => Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = name + Guid.NewGuid().ToString("n")[..8], AllowUnauthenticatedIdentities = true }).IdentityPoolId!;
        var (pool, other, sameFunction) = (NewPool("picker-"), NewPool("other-"), NewPool("same-"));
        const string lambda = "arn:aws:lambda:us-east-1:123456789012:function:sync-rewriter";
        Engine.Setup(new SetCognitoEventsRequest { IdentityPoolId = other, Events = new() { ["SyncTrigger"] = lambda } });
        Engine.Setup(new SetCognitoEventsRequest { IdentityPoolId = sameFunction, Events = new() { ["SyncTrigger"] = portalFunction } });

        var card = Ctx.Render<EventsCard>(p => p.Add(c => c.IdentityPoolId, pool));
        card.WaitForAssertion(() => card.Find($"[data-testid='use-{other}-SyncTrigger']"), Wait);
        Assert.Single(card.FindAll($"[data-testid='use-{userPool}-PostConfirmation']"));
        // A function used by another identity pool is listed once, under the user pool it belongs to.
        Assert.Empty(card.FindAll($"[data-testid='use-{sameFunction}-SyncTrigger']"));
        Assert.Contains("identity pool", card.Find($"[data-testid='use-{other}-SyncTrigger']").Closest("tr")!.TextContent, StringComparison.Ordinal);

        Button(card, $"use-{other}-SyncTrigger").Click();
        Button(card, "events-save").Click();
        card.WaitForAssertion(() => Assert.Equal(lambda, card.Find("[data-testid='events-current'] code").TextContent.Trim()), Wait);
        Assert.Equal(lambda, Engine.Setup(new GetCognitoEventsRequest { IdentityPoolId = pool }).Events!["SyncTrigger"]);
    }
}
