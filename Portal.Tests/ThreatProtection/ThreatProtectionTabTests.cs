using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;
using Portal.Tests.Portal;

namespace Portal.Tests.ThreatProtection;

/// <summary>The pool page's Threat protection tab: the mode, the risk configuration read with
/// DescribeRiskConfiguration and saved with SetRiskConfiguration (for the pool or one app client, with the notification
/// emails and their preview), and the dashboard of decisions, against the real engine.</summary>
public sealed class ThreatProtectionTabTests : PortalPageTest
{
    IRenderedComponent<PoolDetail> Render(string pool, OperatorAccess? access = null)
    {
        var page = Ctx.Render<PoolDetail>(p =>
        {
            p.Add(x => x.Id, pool);
            if (access is not null) p.AddCascadingValue(access);
        });
        page.WaitForElement("[data-testid='pool-tabs']", Wait);
        Tab(page, "Threat protection");
        page.WaitForElement("[data-testid='threat-mode']", Wait);
        return page;
    }

    string PlusPool(string mode) => Cognito.AddPool("shop", p => p with
    {
        UserPoolTier = "PLUS",
        UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = mode },
    });

    [Fact]
    public void A_pool_with_threat_protection_off_says_so_and_reads_no_configuration()
    {
        var page = Render(Cognito.AddPool("plain"));
        page.WaitForAssertion(() => Assert.Contains("Threat protection is off for this pool", page.Find("[data-testid='threat-off']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(Cognito.Requests<DescribeRiskConfigurationRequest>());
        Assert.Equal("OFF", page.Find("[data-testid='threat-mode-select']").GetAttribute("value"));
    }

    [Fact]
    public void The_tab_shows_the_configuration_and_saves_what_the_operator_changed()
    {
        var pool = PlusPool("ENFORCED");
        Cognito.Setup(new SetRiskConfigurationRequest
        {
            UserPoolId = pool,
            CompromisedCredentialsRiskConfiguration = new() { EventFilter = ["SIGN_UP"], Actions = new() { EventAction = "NO_ACTION" } },
            RiskExceptionConfiguration = new() { BlockedIPRangeList = ["192.0.2.0/24"] },
        });
        var page = Render(pool);
        page.WaitForElement("[data-testid='threat-settings']", Wait);
        Assert.True(Input(page, "threat-cc-on").HasAttribute("checked"));
        Assert.True(Input(page, "threat-cc-sign-up").HasAttribute("checked"));
        Assert.False(Input(page, "threat-cc-sign-in").HasAttribute("checked"));
        Assert.True(Input(page, "threat-cc-no-action").HasAttribute("checked"));
        Assert.Equal("192.0.2.0/24", Input(page, "threat-blocked").GetAttribute("value") ?? Input(page, "threat-blocked").TextContent);
        // Adaptive authentication scores sign-ins now: the note says what the level's action does in each mode.
        Assert.Contains("runs in Enforced mode; Audit mode only records it", page.Find("[data-testid='threat-ato-note']").TextContent, StringComparison.Ordinal);

        Input(page, "threat-cc-sign-in").Change(true);
        Input(page, "threat-cc-block").Change(true);
        page.Find("[data-testid='threat-ato-high']").Change("BLOCK");
        Input(page, "threat-skipped").Change("10.0.0.0/8\n2001:db8::/32");
        Press(page, "threat-save");

        page.WaitForAssertion(() => Assert.Equal("Risk configuration saved.", page.Find("[data-testid='threat-result']").TextContent.Trim()), Wait);
        var saved = Cognito.Setup(new DescribeRiskConfigurationRequest { UserPoolId = pool }).RiskConfiguration!;
        Assert.Equal(["SIGN_IN", "SIGN_UP"], saved.CompromisedCredentialsRiskConfiguration!.EventFilter!);
        Assert.Equal("BLOCK", saved.CompromisedCredentialsRiskConfiguration.Actions!.EventAction);
        Assert.Equal("BLOCK", saved.AccountTakeoverRiskConfiguration!.Actions!.HighAction!.EventAction);
        Assert.Null(saved.AccountTakeoverRiskConfiguration.Actions.LowAction);
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], saved.RiskExceptionConfiguration!.SkippedIPRangeList!);
        Assert.Equal(["192.0.2.0/24"], saved.RiskExceptionConfiguration.BlockedIPRangeList!);
    }

    [Fact]
    public void A_bad_range_shows_the_engines_error_and_changes_nothing()
    {
        var pool = PlusPool("AUDIT");
        var page = Render(pool);
        page.WaitForElement("[data-testid='threat-settings']", Wait);
        Input(page, "threat-blocked").Change("192.0.2.0/33");
        Press(page, "threat-save");
        page.WaitForAssertion(() => Assert.Contains("Invalid IP range '192.0.2.0/33'", page.Find("[data-testid='threat-result']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Null(Cognito.Setup(new DescribeRiskConfigurationRequest { UserPoolId = pool }).RiskConfiguration!.RiskExceptionConfiguration);
    }

    [Fact]
    public void A_viewer_sees_the_configuration_without_a_save_button()
    {
        var pool = PlusPool("AUDIT");
        var page = Render(pool, new OperatorAccess(OperatorRoles.Viewer));
        page.WaitForElement("[data-testid='threat-settings']", Wait);
        Assert.Empty(page.FindAll("[data-testid='threat-save']"));
        Assert.True(page.Find("[data-testid='threat-settings']").HasAttribute("disabled"));
    }

    [Fact]
    public void The_notification_emails_preview_with_sample_values_and_save_with_the_actions()
    {
        var pool = PlusPool("ENFORCED");
        var page = Render(pool);
        page.WaitForElement("[data-testid='threat-settings']", Wait);
        // Cognito-like default texts until the operator writes their own.
        Assert.Equal("Blocked sign-in attempt", page.Find("[data-testid='notify-preview-subject']").TextContent.Trim());

        Input(page, "notify-subject").Input("Blocked: {username} from {city}, {country} at {ip-address}");
        page.WaitForAssertion(() => Assert.Equal("Blocked: dora from Lyon, France at 203.0.113.24",
            page.Find("[data-testid='notify-preview-subject']").TextContent.Trim()), Wait);
        Input(page, "notify-html").Input("<p>Hello {username}, was this <a href=\"{one-click-link-valid}\">you</a> on {device}?</p>");
        page.WaitForAssertion(() => Assert.Equal(
            "<p>Hello dora, was this <a href=\"https://auth.example.com/feedback?token=sample&amp;value=valid\">you</a> on Chrome 131, Linux?</p>",
            page.Find("[data-testid='notify-preview-html']").GetAttribute("srcdoc")), Wait);
        Assert.Equal("", page.Find("[data-testid='notify-preview-html']").GetAttribute("sandbox"));
        Input(page, "notify-text").Input("Hello {username}, at {login-time}: not you? {one-click-link-invalid}");
        page.WaitForAssertion(() => Assert.Equal("Hello dora, at 2026-12-05 06:30:12 UTC: not you? https://auth.example.com/feedback?token=sample&value=invalid",
            page.Find("[data-testid='notify-preview-text']").TextContent), Wait);

        // Notifying needs the SES identity: a plain sentence, nothing saved.
        page.Find("[data-testid='threat-ato-high']").Change("BLOCK");
        page.Find("input[aria-label='Notify on high risk']").Change(true);
        Press(page, "threat-save");
        page.WaitForAssertion(() => Assert.Contains("give the SES identity (SourceArn)", page.Find("[data-testid='threat-result']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(Cognito.Requests<SetRiskConfigurationRequest>());

        Input(page, "notify-source-arn").Change("arn:aws:ses:us-east-1:123456789012:identity/example.com");
        Input(page, "notify-from").Change("Security <security@example.com>");
        Press(page, "threat-save");
        page.WaitForAssertion(() => Assert.Equal("Risk configuration saved.", page.Find("[data-testid='threat-result']").TextContent.Trim()), Wait);

        var saved = Cognito.Setup(new DescribeRiskConfigurationRequest { UserPoolId = pool }).RiskConfiguration!.AccountTakeoverRiskConfiguration!;
        Assert.Equal(("BLOCK", true), (saved.Actions!.HighAction!.EventAction, saved.Actions.HighAction.Notify));
        var notify = saved.NotifyConfiguration!;
        Assert.Equal(("Security <security@example.com>", "arn:aws:ses:us-east-1:123456789012:identity/example.com"), (notify.From, notify.SourceArn));
        Assert.Equal("Blocked: {username} from {city}, {country} at {ip-address}", notify.BlockEmail!.Subject);
        Assert.Equal("Hello {username}, at {login-time}: not you? {one-click-link-invalid}", notify.BlockEmail.TextBody);
        Assert.Equal("New sign-in attempt", notify.MfaEmail!.Subject);

        // The other emails are edited the same way; reading the tab again shows what was saved.
        page.Find("[data-testid='notify-email-select']").Change(global::Portal.Client.Components.ThreatProtection.NotifyForm.Mfa);
        page.WaitForAssertion(() => Assert.Equal("New sign-in attempt", page.Find("[data-testid='notify-preview-subject']").TextContent.Trim()), Wait);
        var again = Render(pool);
        again.WaitForElement("[data-testid='threat-settings']", Wait);
        Assert.Equal("Blocked: dora from Lyon, France at 203.0.113.24", again.Find("[data-testid='notify-preview-subject']").TextContent.Trim());
    }

    [Fact]
    public void An_app_client_gets_a_configuration_of_its_own_and_goes_back_to_the_pools()
    {
        var pool = PlusPool("ENFORCED");
        var client = Cognito.AddClient(pool, "mobile");
        Cognito.AddClient(pool, "web");
        Cognito.Setup(new SetRiskConfigurationRequest
        {
            UserPoolId = pool, CompromisedCredentialsRiskConfiguration = new() { Actions = new() { EventAction = "NO_ACTION" } },
        });
        var page = Render(pool);
        page.WaitForElement("[data-testid='threat-settings']", Wait);
        Assert.Empty(page.FindAll("[data-testid='threat-overrides']"));
        Assert.Contains("App client mobile (uses the pool's)", page.Find("[data-testid='threat-scope-select']").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid='threat-scope-select']").Change(client);
        page.WaitForAssertion(() => Assert.Contains("uses the pool's configuration, shown here", page.Find("[data-testid='threat-client-note']").TextContent, StringComparison.Ordinal), Wait);
        Assert.True(Input(page, "threat-cc-no-action").HasAttribute("checked"));
        Input(page, "threat-cc-block").Change(true);
        Input(page, "threat-blocked").Change("198.51.100.0/24");
        Press(page, "threat-save");
        page.WaitForAssertion(() => Assert.Equal("Risk configuration of app client mobile saved.", page.Find("[data-testid='threat-result']").TextContent.Trim()), Wait);
        Assert.Contains("App clients with their own configuration: mobile.", page.Find("[data-testid='threat-overrides']").TextContent, StringComparison.Ordinal);

        var own = Cognito.Setup(new DescribeRiskConfigurationRequest { UserPoolId = pool, ClientId = client }).RiskConfiguration!;
        Assert.Equal("BLOCK", own.CompromisedCredentialsRiskConfiguration!.Actions!.EventAction);
        Assert.Equal(["198.51.100.0/24"], own.RiskExceptionConfiguration!.BlockedIPRangeList!);
        var poolOwn = Cognito.Setup(new DescribeRiskConfigurationRequest { UserPoolId = pool }).RiskConfiguration!;
        Assert.Equal("NO_ACTION", poolOwn.CompromisedCredentialsRiskConfiguration!.Actions!.EventAction);
        Assert.Null(poolOwn.RiskExceptionConfiguration);

        // A new rendering finds the client's own configuration; then it goes back to the pool's.
        var again = Render(pool);
        again.WaitForAssertion(() => Assert.Contains("App client mobile (its own configuration)", again.Find("[data-testid='threat-scope-select']").TextContent, StringComparison.Ordinal), Wait);
        again.Find("[data-testid='threat-scope-select']").Change(client);
        again.WaitForElement("[data-testid='threat-client-inherit']", Wait);
        Assert.True(Input(again, "threat-cc-block").HasAttribute("checked"));
        Press(again, "threat-client-inherit");
        again.WaitForAssertion(() => Assert.Equal("App client mobile uses the pool's configuration again.", again.Find("[data-testid='threat-result']").TextContent.Trim()), Wait);
        Assert.True(Input(again, "threat-cc-no-action").HasAttribute("checked"));
        Assert.Empty(again.FindAll("[data-testid='threat-overrides']"));
        Assert.Equal("NO_ACTION", Cognito.Setup(new DescribeRiskConfigurationRequest { UserPoolId = pool, ClientId = client })
            .RiskConfiguration!.CompromisedCredentialsRiskConfiguration!.Actions!.EventAction);
    }

    [Fact]
    public void The_dashboard_shows_the_pools_decisions_top_addresses_blocks_and_links_the_latest_risky_events_to_their_users()
    {
        var pool = PlusPool("AUDIT");
        Cognito.AddUser(pool, "dora", ("email", "dora@example.com"));
        Cognito.AddUser(pool, "eve", ("email", "eve@example.com"));
        var engine = ((EngineCognito)Cognito).Server.Services;
        var now = engine.GetRequiredService<TimeProvider>().GetUtcNow();
        using (var scope = engine.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<global::Portal.Server.Storage.PortalDb>();
            string Sub(string name) => db.Users.Single(u => u.UserPoolId == pool && u.Username == name).Sub;
            global::Portal.Server.Storage.AuthEventRow Row(string user, int minutesAgo, string? level, string decision, string ip, bool compromised = false, string? reason = null) => new()
            {
                EventId = Guid.NewGuid().ToString(), UserPoolId = pool, UserSub = Sub(user), EventType = "SignIn", EventResponse = decision == "Block" ? "Fail" : "Pass",
                CreatedAt = now.AddMinutes(-minutesAgo), IpAddress = ip, RiskLevel = level, RiskDecision = decision, CompromisedCredentialsDetected = compromised,
                RiskReasons = reason is null ? null : System.Text.Json.JsonSerializer.Serialize(new[] { reason }),
            };
            db.AuthEvents.AddRange(
                Row("dora", 30, "Low", "NoRisk", "192.0.2.10"),
                Row("eve", 20, "High", "Block", "198.51.100.7", reason: "Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour."),
                Row("dora", 10, null, "Block", "198.51.100.7", compromised: true, reason: "Password found in a breached-password list at sign-in (source: offline corpus); blocked"));
            db.SaveChanges();
        }

        var page = Render(pool);
        page.WaitForElement("[data-testid='risk-latest-event']", Wait);
        Assert.Equal("1", page.Find("[data-testid='risk-blocks-count']").TextContent.Trim());
        Assert.Equal(2, page.FindAll("[data-testid='risk-chart-levels'], [data-testid='risk-chart-decisions']").Count);
        Assert.Contains("Events by decision per day over the last 30 days, in total: allowed 1, challenged or notified 0, blocked 2.",
            page.Find("[data-testid='risk-chart-decisions'] [role='img']").GetAttribute("aria-label"), StringComparison.Ordinal);
        var address = Assert.Single(page.FindAll("[data-testid='risk-address']"));
        Assert.Contains("198.51.100.7", address.TextContent, StringComparison.Ordinal);
        Assert.Contains("2", address.TextContent, StringComparison.Ordinal);

        var latest = page.FindAll("[data-testid='risk-latest-event']");
        Assert.Equal(2, latest.Count);
        Assert.Contains("blocked, compromised credentials", latest[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Password found in a breached-password list", latest[0].TextContent, StringComparison.Ordinal);
        Assert.Equal($"users/{pool}/dora", latest[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("High risk, blocked", latest[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Failed sign-ins against 12 accounts", latest[1].TextContent, StringComparison.Ordinal);
        Assert.Equal($"users/{pool}/eve", latest[1].QuerySelector("a")!.GetAttribute("href"));
    }
}
