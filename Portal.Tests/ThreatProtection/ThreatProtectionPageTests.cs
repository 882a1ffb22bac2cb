using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;

namespace Portal.Tests.ThreatProtection;

/// <summary>The pool page's Threat protection tab and the user's sign-in history in chromium: what an operator sees for a
/// pool in AUDIT mode with risky events (the dashboard, the configuration, each event's reasons), and nothing axe calls
/// serious.</summary>
[Collection(ServerCollection.Name)]
public sealed class ThreatProtectionPageTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    /// <summary>A PLUS pool in AUDIT mode with users dora and eve and the events adaptive authentication and compromised-
    /// credentials detection record, over the last days.</summary>
    async Task<string> PoolWithEvents()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest
        {
            PoolName = "threat-" + Guid.NewGuid().ToString("n")[..6],
            UserPoolTier = "PLUS", UserPoolAddOns = new() { AdvancedSecurityMode = "AUDIT" },
        })).UserPool!.Id!;
        await engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "mobile" });
        var subs = new Dictionary<string, string>();
        foreach (var name in new[] { "dora", "eve" })
            subs[name] = (await engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = name, MessageAction = "SUPPRESS" }))
                .User!.Attributes!.Single(a => a.Name == "sub").Value!;
        var now = server.Clock.GetUtcNow();
        var rows = new List<AuthEventRow>();
        void Add(string user, TimeSpan ago, string? level, string decision, string ip, string response = "Pass", bool compromised = false, params string[] reasons) =>
            rows.Add(new AuthEventRow
            {
                EventId = Guid.NewGuid().ToString(), UserPoolId = pool, UserSub = subs[user], EventType = "SignIn", EventResponse = response,
                CreatedAt = now - ago, IpAddress = ip, DeviceName = "Firefox 133, Windows", RiskLevel = level, RiskDecision = decision,
                CompromisedCredentialsDetected = compromised, RiskReasons = reasons.Length == 0 ? null : System.Text.Json.JsonSerializer.Serialize(reasons),
            });
        for (var day = 20; day >= 1; day--)
        {
            for (var i = 0; i < 3 + day % 5; i++) Add("dora", TimeSpan.FromDays(day) + TimeSpan.FromMinutes(i), "Low", "NoRisk", "192.0.2.10");
            if (day % 3 == 0) Add("eve", TimeSpan.FromDays(day), "Medium", "AccountTakeover", "198.51.100.7", "Pass", false, "A device never seen for this user (Firefox 133, Windows).");
            if (day % 4 == 0) Add("eve", TimeSpan.FromDays(day), "High", "Block", "198.51.100.7", "Fail", false, "Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour.");
        }
        Add("eve", TimeSpan.FromHours(3), null, "NoRisk", "203.0.113.50", "Fail");
        Add("dora", TimeSpan.FromHours(2), "High", "Block", "198.51.100.7", "Fail", false,
            "Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour.", "The address 198.51.100.7 was never used by this user.");
        Add("dora", TimeSpan.FromHours(1), null, "NoRisk", "192.0.2.10", "Pass", true,
            "Password found in a breached-password list at sign-in (source: range API, seen 12,345 times); recorded (audit mode)");
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.AuthEvents.AddRange(rows);
        await db.SaveChangesAsync();
        return pool;
    }

    /// <summary>One section of the page, cut from a full-page shot taken at the top: an element's own shot of a scrolled
    /// page draws the fixed app bar over it.</summary>
    static async Task Shot(IPage page, string testId, string file)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var box = await page.GetByTestId(testId).BoundingBoxAsync() ?? throw new InvalidOperationException($"{testId} is not on the page.");
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(Browser.ScreenshotFolder, file), FullPage = true,
            Clip = new() { X = box.X, Y = box.Y, Width = box.Width, Height = box.Height },
        });
    }

    /// <summary>One section as the screen shows it, just below the app bar: a full-page shot leaves out the content of a
    /// sandboxed frame (the email preview).</summary>
    static async Task InView(IPage page, string testId, string file)
    {
        await page.GetByTestId(testId).EvaluateAsync("e => { e.scrollIntoView(); window.scrollBy(0, -80); }");
        var box = await page.GetByTestId(testId).BoundingBoxAsync() ?? throw new InvalidOperationException($"{testId} is not on the page.");
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(Browser.ScreenshotFolder, file),
            Clip = new() { X = box.X, Y = box.Y, Width = box.Width, Height = Math.Min(box.Height, 900 - box.Y) },
        });
    }

    [Fact]
    public async Task The_threat_protection_tab_shows_the_dashboard_and_the_pools_risk_configuration_and_is_accessible()
    {
        var pool = await PoolWithEvents();

        var page = await browser.NewPage(1280, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await page.GotoAsync($"{server.BaseUrl}/pools/{pool}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // A click before the page is interactive does nothing: click the tab until its panel shows.
        for (var tries = 0; !await page.GetByTestId("threat-settings").IsVisibleAsync(); tries++)
        {
            Assert.True(tries < 40, "The Threat protection tab did not open.");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Threat protection" }).ClickAsync();
            await page.GetByTestId("threat-settings").Shows(500);
        }
        await Assertions.Expect(page.GetByText("Compromised credentials").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("risk-latest-event")).ToHaveCountAsync(10);
        await Assertions.Expect(page.GetByTestId("risk-latest-event").First).ToContainTextAsync("compromised credentials");
        await Assertions.Expect(page.GetByTestId("risk-address").First).ToContainTextAsync("198.51.100.7");
        await Assertions.Expect(page.GetByTestId("risk-chart-levels").Locator("svg")).ToBeVisibleAsync();
        await page.AnimationsDone();
        var violations = await PortalAxeTests.Serious(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-pool-threat-protection.png"), FullPage = true });
        await Shot(page, "risk-dashboard", "portal-threat-dashboard.png");

        // The notification emails and their preview.
        await page.GetByTestId("threat-notify").Locator("summary").First.ClickAsync();
        await page.Locator("[data-testid='notify-subject'] input, input[data-testid='notify-subject']").FillAsync("Blocked sign-in for {username} from {city}");
        await Assertions.Expect(page.GetByTestId("notify-preview-subject")).ToHaveTextAsync("Blocked sign-in for dora from Lyon");
        await Assertions.Expect(page.FrameLocator("[data-testid='notify-preview-html']").GetByText("Hello dora,")).ToBeVisibleAsync();
        await page.AnimationsDone();
        violations.AddRange(await PortalAxeTests.Serious(page));
        await InView(page, "threat-notify", "portal-threat-notify-preview.png");

        // The latest risky event links to its user, whose history shows the reasons.
        await page.GetByTestId("risk-latest-user").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{server.BaseUrl}/users/{pool}/dora");
        var reasons = page.Locator("[data-testid^='reasons-']");
        await Assertions.Expect(reasons.First).ToContainTextAsync("Password found in a breached-password list");
        await Assertions.Expect(reasons.Nth(1)).ToContainTextAsync("Failed sign-ins against 12 accounts");
        await page.AnimationsDone();
        violations.AddRange(await PortalAxeTests.Serious(page));
        await Shot(page, "sign-in-history", "portal-sign-in-history-reasons.png");
        Assert.True(violations.Count == 0, string.Join(" || ", violations));
    }
}
