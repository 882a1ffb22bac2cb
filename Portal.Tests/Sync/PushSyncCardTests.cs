using Bunit;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Sync;
using Portal.Client.Pages.SyncParts;
using Portal.Client.Security;
using Portal.Tests.Portal;

namespace Portal.Tests.Sync;

/// <summary>The push sync card against the real engine: the pool's SNS applications and role, the VAPID public key
/// browsers subscribe with, the devices and subscriptions, and the test button (administrators only).</summary>
public sealed class PushSyncCardTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    string Seed()
    {
        var developer = "login." + Guid.NewGuid().ToString("n")[..10];
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = "push-" + Guid.NewGuid().ToString("n")[..8], AllowUnauthenticatedIdentities = false, DeveloperProviderName = developer }).IdentityPoolId!;
        var identity = Engine.Setup(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = "u1" } }).IdentityId!;
        Engine.Setup(new SetIdentityPoolConfigurationRequest
        {
            IdentityPoolId = pool,
            PushSync = new PushSync { ApplicationArns = ["arn:aws:sns:us-east-1:000000000000:app/GCM/card-app"], RoleArn = "arn:aws:iam::000000000000:role/card-push" },
        });
        var token = """{"endpoint":"http://127.0.0.1:9/push/card","keys":{"p256dh":"BAAA","auth":"AAAA"}}""";
        var device = Engine.Setup(new RegisterDeviceRequest { IdentityPoolId = pool, IdentityId = identity, Platform = PushPlatforms.WebPush, Token = token }).DeviceId!;
        Engine.Setup(new SubscribeToDatasetRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "settings", DeviceId = device });
        return pool;
    }

    [Fact]
    public void An_administrator_sees_the_pools_push_configuration_and_devices_and_sends_a_test_notification()
    {
        var pool = Seed();
        var key = Engine.Setup(new GetPushSyncStatusRequest { IdentityPoolId = pool }).VapidPublicKey!;
        var card = Ctx.Render<PushSyncCard>(p => p.Add(c => c.IdentityPoolId, pool));
        card.WaitForAssertion(() => Assert.Equal("1", card.Find("[data-testid='push-devices']").TextContent.Trim()), Wait);
        Assert.Equal("1", card.Find("[data-testid='push-subscriptions']").TextContent.Trim());
        Assert.Contains("arn:aws:sns:us-east-1:000000000000:app/GCM/card-app", card.Find("[data-testid='push-applications']").TextContent);
        Assert.Equal("arn:aws:iam::000000000000:role/card-push", card.Find("[data-testid='push-role']").TextContent.Trim());
        Assert.Equal(key, card.Find("[data-testid='push-vapid-key']").TextContent.Trim());
        Assert.Equal(87, key.Length); // 65 bytes, base64url without padding

        card.Find("[data-testid='push-test']").Click();
        card.WaitForAssertion(() => Assert.Equal("Test notification queued for 1 device(s).", card.Find("[data-testid='push-test-result']").TextContent.Trim()), Wait);
    }

    [Fact]
    public void A_viewer_sees_the_card_without_the_test_button()
    {
        var pool = Seed();
        var card = Ctx.Render<PushSyncCard>(p => p.Add(c => c.IdentityPoolId, pool).Add(c => c.Access, new OperatorAccess(OperatorRoles.Viewer)));
        card.WaitForAssertion(() => Assert.Equal("1", card.Find("[data-testid='push-devices']").TextContent.Trim()), Wait);
        Assert.Empty(card.FindAll("[data-testid='push-test']"));
    }
}
