using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Sync;

/// <summary>The Sync page in chromium: an administrator opens a pool's identity, its dataset and records; scanned by
/// axe-core and photographed for the README.</summary>
[Collection(ServerCollection.Name)]
public sealed class SyncPortalE2eTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    [Fact]
    public async Task The_sync_page_browses_an_identitys_dataset_and_is_accessible()
    {
        var developer = "login." + Guid.NewGuid().ToString("n")[..10];
        var pool = (await Engine.Send(new CreateIdentityPoolRequest { IdentityPoolName = "notes app " + Guid.NewGuid().ToString("n")[..4], AllowUnauthenticatedIdentities = false, DeveloperProviderName = developer })).IdentityPoolId!;
        var identity = (await Engine.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = "lin" } })).IdentityId!;
        var session = (await Engine.Send(new ListRecordsRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "preferences" })).SyncSessionToken;
        await Engine.Send(new UpdateRecordsRequest
        {
            IdentityPoolId = pool, IdentityId = identity, DatasetName = "preferences", SyncSessionToken = session,
            RecordPatches =
            [
                new RecordPatch { Op = "replace", Key = "theme", Value = "dark", SyncCount = 0, DeviceLastModifiedDate = server.Clock.GetUtcNow().AddMinutes(-5) },
                new RecordPatch { Op = "replace", Key = "font-size", Value = "16", SyncCount = 0 },
                new RecordPatch { Op = "replace", Key = "last-note", Value = "Buy milk", SyncCount = 0 },
            ],
        });

        var page = await browser.NewPage(1440, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Go(page, $"{server.BaseUrl}/sync");
        await Settled(page);
        await Assertions.Expect(page.GetByTestId("sync-not-yet")).ToContainTextAsync("Not available yet");
        await page.GetByTestId($"browse-{pool}").ClickAsync();
        await page.GetByTestId($"open-{identity}").ClickAsync();
        await page.GetByTestId("records-preferences").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sync-records")).ToContainTextAsync("Buy milk");
        await page.AnimationsDone();
        var violations = await PortalAxeTests.Serious(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-sync.png"), FullPage = true });
        Assert.Empty(violations);
    }
}
