using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;
using Portal.Tests.Portal;

namespace Portal.Tests.ThreatProtection;

/// <summary>The pool page's Threat protection tab: the mode, and the risk configuration read with
/// DescribeRiskConfiguration and saved with SetRiskConfiguration, against the real engine.</summary>
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
        Assert.Contains("Portal does not score sign-in risk yet", page.Find("[data-testid='threat-ato-note']").TextContent, StringComparison.Ordinal);

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
}
