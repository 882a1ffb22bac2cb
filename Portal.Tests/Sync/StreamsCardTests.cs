using Bunit;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Sync;
using Portal.Client.Pages.SyncParts;
using Portal.Tests.Portal;

namespace Portal.Tests.Sync;

/// <summary>The Sync page's Cognito Streams card against the real engine: an administrator enables a stream (stored as
/// SetIdentityPoolConfiguration stores it), sees the outbox and delivery state, starts a bulk publish and sees its status,
/// and a test record to a Kinesis that cannot be reached says so.</summary>
public sealed class StreamsCardTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    [Fact]
    public void An_administrator_enables_the_stream_bulk_publishes_and_sees_what_waits_and_what_failed()
    {
        var developer = "login." + Guid.NewGuid().ToString("n")[..10];
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = "card-" + Guid.NewGuid().ToString("n")[..8], AllowUnauthenticatedIdentities = false, DeveloperProviderName = developer }).IdentityPoolId!;
        var identity = Engine.Setup(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = "u1" } }).IdentityId!;
        var session = Engine.Setup(new ListRecordsRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "settings" }).SyncSessionToken;
        Engine.Setup(new UpdateRecordsRequest
        {
            IdentityPoolId = pool, IdentityId = identity, DatasetName = "settings", SyncSessionToken = session,
            RecordPatches = [new RecordPatch { Op = "replace", Key = "theme", Value = "dark", SyncCount = 0 }],
        });

        var card = Ctx.Render<StreamsCard>(p => p.Add(c => c.IdentityPoolId, pool));
        card.WaitForAssertion(() => Assert.Equal("0", card.Find("[data-testid='streams-depth']").TextContent.Trim()), Wait);
        Assert.Equal("never", card.Find("[data-testid='streams-last-delivery']").TextContent.Trim());
        Assert.Contains("NOT_STARTED", card.Find("[data-testid='streams-bulk-status']").TextContent);

        Input(card, "streams-name").Change("app-changes");
        Input(card, "streams-role").Change("arn:aws:iam::000000000000:role/cognito-streams");
        Input(card, "streams-enabled").Change(true);
        Button(card, "streams-save").Click();
        card.WaitForAssertion(() => Assert.Equal("ENABLED", Engine.Setup(new GetIdentityPoolConfigurationRequest { IdentityPoolId = pool }).CognitoStreams?.StreamingStatus), Wait);
        Assert.Equal("app-changes", Engine.Setup(new GetIdentityPoolConfigurationRequest { IdentityPoolId = pool }).CognitoStreams!.StreamName);

        // The engine's Portal has no Kinesis it can reach: the bulk publish waits in the outbox, IN_PROGRESS.
        Button(card, "streams-bulk").Click();
        card.WaitForAssertion(() => Assert.Contains("IN_PROGRESS", card.Find("[data-testid='streams-bulk-status']").TextContent), Wait);
        Assert.Equal("1", card.Find("[data-testid='streams-depth']").TextContent.Trim());
        Assert.Single(Engine.Requests<BulkPublishRequest>());

        Button(card, "streams-test").Click();
        card.WaitForAssertion(() => Assert.Contains("not accepted by app-changes", card.Find("[data-testid='streams-test-result']").TextContent), Wait);
    }
}
