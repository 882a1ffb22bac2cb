using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Sync;
using Portal.Client.Security;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;

namespace Portal.Tests.Sync;

/// <summary>Who may do what to datasets from the portal, decided by the server whatever the page shows: viewers read,
/// operators also delete a dataset (audited), the pool's sync configuration stays the administrators'.</summary>
[Collection(ServerCollection.Name)]
public sealed class SyncPortalAccessTests(PortalServer server)
{
    sealed class Signed(params Claim[] claims) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    OperatorCognito As(string group) => new(Engine, new Signed(new Claim("cognito:username", "op-" + group), new Claim("cognito:groups", group)),
        TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());

    async Task<(string Pool, string Identity)> Dataset(string name)
    {
        var developer = "login." + Guid.NewGuid().ToString("n")[..10];
        var pool = (await Engine.Send(new CreateIdentityPoolRequest { IdentityPoolName = "sync-" + Guid.NewGuid().ToString("n")[..8], AllowUnauthenticatedIdentities = false, DeveloperProviderName = developer })).IdentityPoolId!;
        var identity = (await Engine.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = "u1" } })).IdentityId!;
        var session = (await Engine.Send(new ListRecordsRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = name })).SyncSessionToken;
        await Engine.Send(new UpdateRecordsRequest
        {
            IdentityPoolId = pool, IdentityId = identity, DatasetName = name, SyncSessionToken = session,
            RecordPatches = [new RecordPatch { Op = "replace", Key = "k", Value = "v", SyncCount = 0 }],
        });
        return (pool, identity);
    }

    [Fact]
    public async Task A_viewer_reads_datasets_but_deleting_one_past_the_page_is_refused_and_deletes_nothing()
    {
        var (pool, identity) = await Dataset("kept");
        var viewer = As("viewers");
        Assert.Equal(["kept"], (await viewer.Send(new ListDatasetsRequest { IdentityPoolId = pool, IdentityId = identity })).Datasets!.Select(d => d.DatasetName));
        await Assert.ThrowsAsync<AccessDeniedException>(() => viewer.Send(new DeleteDatasetRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "kept" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => viewer.Send(new UpdateRecordsRequest
        {
            IdentityPoolId = pool, IdentityId = identity, DatasetName = "kept", SyncSessionToken = "x",
            RecordPatches = [new RecordPatch { Op = "replace", Key = "k", Value = "changed", SyncCount = 1 }],
        }));
        foreach (var group in new[] { "viewers", "operators" })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => As(group).Send(new SetIdentityPoolConfigurationRequest
            {
                IdentityPoolId = pool, CognitoStreams = new CognitoStreams { StreamName = "s", StreamingStatus = "DISABLED" },
            }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => As(group).Send(new SetCognitoEventsRequest { IdentityPoolId = pool, Events = new() { ["SyncTrigger"] = "x" } }));
        }
        // The usage per day is a read: viewers see it.
        Assert.Equal(30, (await viewer.Send(new DescribeSyncUsageRequest { IdentityPoolId = pool })).Days!.Count);
        var dataset = (await Engine.Send(new DescribeDatasetRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "kept" })).Dataset!;
        Assert.Equal(1, dataset.NumRecords);
        Assert.Null((await Engine.Send(new GetIdentityPoolConfigurationRequest { IdentityPoolId = pool })).CognitoStreams);
    }

    [Fact]
    public async Task An_operator_deletes_a_dataset_and_the_audit_log_says_who()
    {
        var (pool, identity) = await Dataset("doomed");
        await As("operators").Send(new DeleteDatasetRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "doomed" });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Engine.Send(new DescribeDatasetRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "doomed" }));

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var entries = await db.Audit.Where(a => a.Action == "DeleteDataset" && a.Actor == "op-operators").ToListAsync();
        Assert.Contains(entries, e => e.After!.Contains(identity, StringComparison.Ordinal) && e.After.Contains("doomed", StringComparison.Ordinal));
    }
}

/// <summary>The Sync page against the real engine: a pool's usage, an identity's datasets with their size against 1 MB,
/// the records with their sync counts, and an operator's delete (gone from the engine); a viewer gets no delete button.</summary>
public sealed class SyncPageTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    (string Pool, string Identity) Seed()
    {
        var developer = "login." + Guid.NewGuid().ToString("n")[..10];
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = "page-" + Guid.NewGuid().ToString("n")[..8], AllowUnauthenticatedIdentities = false, DeveloperProviderName = developer }).IdentityPoolId!;
        var identity = Engine.Setup(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = "u1" } }).IdentityId!;
        var session = Engine.Setup(new ListRecordsRequest { IdentityPoolId = pool, IdentityId = identity, DatasetName = "settings" }).SyncSessionToken;
        Engine.Setup(new UpdateRecordsRequest
        {
            IdentityPoolId = pool, IdentityId = identity, DatasetName = "settings", SyncSessionToken = session,
            RecordPatches =
            [
                new RecordPatch { Op = "replace", Key = "theme", Value = "dark", SyncCount = 0, DeviceLastModifiedDate = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) },
                new RecordPatch { Op = "replace", Key = "volume", Value = "7", SyncCount = 0 },
            ],
        });
        return (pool, identity);
    }

    [Fact]
    public void The_page_says_what_is_served_and_claims_nothing_missing()
    {
        var page = Ctx.Render<global::Portal.Client.Pages.Sync>();
        Assert.Empty(page.FindAll("[data-testid='sync-not-yet']"));
        var text = page.Find("[data-testid='sync-served']").TextContent;
        Assert.Contains("All 17", text);
        Assert.Contains("push sync", text);
        Assert.Contains("Cognito Streams", text);
        Assert.Contains("SyncTrigger", text);
        Assert.DoesNotContain("not available", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_operator_browses_an_identitys_datasets_and_records_and_deletes_a_dataset()
    {
        var (pool, identity) = Seed();
        var page = Ctx.Render<global::Portal.Client.Pages.Sync>(p => p.Add(s => s.Access, new OperatorAccess(OperatorRoles.Operator)));
        page.WaitForAssertion(() => Assert.Equal("16 B", page.Find($"[data-testid='pool-bytes-{pool}']").TextContent.Trim()), Wait);
        Assert.Equal("1", page.Find($"[data-testid='pool-syncs-{pool}']").TextContent.Trim());

        page.Find($"[data-testid='browse-{pool}']").Click();
        page.WaitForAssertion(() => page.Find($"[data-testid='open-{identity}']"), Wait);
        page.Find($"[data-testid='open-{identity}']").Click();
        page.WaitForAssertion(() => Assert.Equal("16 B of 1 MB", page.Find("[data-testid='size-settings']").TextContent.Trim()), Wait);

        page.Find("[data-testid='records-settings']").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='sync-records'] tbody tr").Count), Wait);
        var rows = page.FindAll("[data-testid='sync-records'] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("theme", rows[0]);
        Assert.Contains("dark", rows[0]);
        Assert.Contains("2026-01-02 03:04:05", rows[0]);
        Assert.Contains("volume", rows[1]);

        page.Find("[data-testid='delete-settings']").Click();
        page.Find("[data-testid='confirm-delete-settings']").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='size-settings']")), Wait);
        Assert.Empty(Engine.Setup(new ListDatasetsRequest { IdentityPoolId = pool, IdentityId = identity }).Datasets!);
        Assert.Single(Engine.Requests<DeleteDatasetRequest>());
    }

    [Fact]
    public async Task A_pools_usage_per_day_is_charted_and_the_same_figures_are_in_a_table()
    {
        var (pool, _) = Seed();
        // Earlier days as the counters' flushes leave them: two days ago a dataset of 2 KB was made (and is gone today).
        var today = Engine.Server.Clock.GetUtcNow().UtcDateTime.Date;
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = Engine.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.Set<global::Portal.Server.Sync.SyncUsageDayRow>().AddRange(
                new global::Portal.Server.Sync.SyncUsageDayRow { IdentityPoolId = pool, Day = Day(2), SyncOperations = 40, DatasetsChange = 1, BytesChange = 2048 },
                new global::Portal.Server.Sync.SyncUsageDayRow { IdentityPoolId = pool, Day = Day(1), SyncOperations = 7, DatasetsChange = -1, BytesChange = -2048 });
            await db.SaveChangesAsync();
        }

        var page = Ctx.Render<global::Portal.Client.Pages.Sync>(p => p.Add(s => s.Access, new OperatorAccess(OperatorRoles.Viewer)));
        page.WaitForAssertion(() => page.Find($"[data-testid='browse-{pool}']"), Wait);
        page.Find($"[data-testid='browse-{pool}']").Click();
        page.WaitForAssertion(() => page.Find("[data-testid='sync-usage-table']"), Wait);
        foreach (var chart in new[] { "datasets", "bytes", "operations" }) Assert.NotNull(page.Find($"[data-testid='usage-chart-{chart}'] [role='img'] svg"));

        // Today: the seeded dataset (16 B) and its ListRecords and UpdateRecords.
        Assert.Equal("1", page.Find("[data-testid='usage-today-datasets']").TextContent.Trim());
        Assert.Equal("16 B", page.Find("[data-testid='usage-today-bytes']").TextContent.Trim());
        Assert.Equal("2", page.Find("[data-testid='usage-today-operations']").TextContent.Trim());
        Assert.Contains("at most 40 a day", page.Find("[data-testid='usage-chart-operations'] [role='img']").GetAttribute("aria-label"));

        string[] Cells(int back) => [.. page.Find($"[data-testid='usage-day-{Day(back)}']").QuerySelectorAll("td").Select(c => c.TextContent.Trim())];
        Assert.Equal([Day(0), "1", "16 B", "2"], Cells(0));
        Assert.Equal([Day(1), "0", "0 B", "7"], Cells(1));
        Assert.Equal([Day(2), "1", "2 KB", "40"], Cells(2));
        Assert.Equal([Day(3), "0", "0 B", "0"], Cells(3));
        Assert.Equal(30, page.FindAll("[data-testid='sync-usage-table'] tbody tr").Count);
        // The configuration keeps its place on the page for the pool's push sync, streams and events.
        Assert.Contains("Cognito Streams not set", System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid='sync-configuration']").TextContent, @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public void A_viewer_browses_but_has_no_delete_button()
    {
        var (pool, identity) = Seed();
        var page = Ctx.Render<global::Portal.Client.Pages.Sync>(p => p.Add(s => s.Access, new OperatorAccess(OperatorRoles.Viewer)));
        page.WaitForAssertion(() => page.Find($"[data-testid='browse-{pool}']"), Wait);
        page.Find($"[data-testid='browse-{pool}']").Click();
        page.WaitForAssertion(() => page.Find($"[data-testid='open-{identity}']"), Wait);
        page.Find($"[data-testid='open-{identity}']").Click();
        page.WaitForAssertion(() => page.Find("[data-testid='size-settings']"), Wait);
        Assert.Empty(page.FindAll("[data-testid='delete-settings']"));
    }
}
