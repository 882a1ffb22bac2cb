using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.Sync;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Sync;

/// <summary>The Sync page in chromium: an administrator opens a pool's identity, its dataset and records; scanned by
/// axe-core at 1280 px and at a phone's width, and photographed for the README with four weeks of usage charted.</summary>
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

        // Four weeks of the app's history: other users' datasets made on earlier days (in the store as those days left
        // them) and the usage counters' rows of those days, whose changes add up to what the store holds today.
        var today = server.Clock.GetUtcNow().UtcDateTime.Date;
        var days = new Dictionary<int, SyncUsageDayRow>();
        SyncUsageDayRow Day(int back) => days.TryGetValue(back, out var row) ? row : days[back] = new SyncUsageDayRow
        {
            IdentityPoolId = pool, Day = today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            SyncOperations = 30 + (back * 37 % 23) * 4 + (back % 7 is 0 or 6 ? -25 : 0),
        };
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            for (var user = 0; user < 8; user++)
            {
                var other = (await Engine.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = $"user{user}" } })).IdentityId!;
                foreach (var (name, index) in new[] { ("preferences", 0), ("notes", 1) })
                {
                    var back = 27 - (user * 2 + index) * 27 / 16;
                    var bytes = 900L + (user * 7 + index * 3) % 10 * 410;
                    var made = new DateTimeOffset(today.AddDays(-back), TimeSpan.Zero).AddHours(9);
                    db.Set<SyncDatasetRow>().Add(new SyncDatasetRow
                    {
                        IdentityId = other, Name = name, IdentityPoolId = pool, CreatedAt = made, LastModifiedAt = made, LastModifiedBy = other,
                        SyncCount = 1, DataStorage = bytes, NumRecords = 1, SyncSessions = 1,
                    });
                    db.Set<SyncRecordRow>().Add(new SyncRecordRow
                    {
                        IdentityId = other, DatasetName = name, Key = "k", Value = new string('x', (int)bytes - 1), SyncCount = 1, LastModifiedAt = made, LastModifiedBy = other,
                    });
                    Day(back).DatasetsChange++;
                    Day(back).BytesChange += bytes;
                }
            }
            for (var back = 1; back <= 28; back++) Day(back);
            db.Set<SyncUsageDayRow>().AddRange(days.Values);
            await db.SaveChangesAsync();
        }

        var page = await browser.NewPage(1280, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Go(page, $"{server.BaseUrl}/sync");
        await Settled(page);
        await Assertions.Expect(page.GetByTestId("sync-served")).ToContainTextAsync("All 17");
        await page.GetByTestId($"browse-{pool}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("usage-today-operations")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("usage-chart-bytes").Locator("svg").First).ToBeVisibleAsync();
        await page.GetByTestId($"open-{identity}").ClickAsync();
        await page.GetByTestId("records-preferences").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sync-records")).ToContainTextAsync("Buy milk");
        await page.AnimationsDone();
        var violations = await PortalAxeTests.Serious(page);
        await Assertions.Expect(page.GetByTestId("usage-today-datasets")).ToHaveTextAsync("17");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-sync.png"), FullPage = true });
        Assert.True(violations.Count == 0, string.Join(" || ", violations));

        // At a phone's width the charts stack and the tables turn into cards: still nothing axe calls serious.
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByText("Usage per day as a table").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"usage-day-{today:yyyy-MM-dd}")).ToBeVisibleAsync();
        await page.AnimationsDone();
        var phone = await PortalAxeTests.Serious(page);
        Assert.True(phone.Count == 0, string.Join(" || ", phone));
    }
}
