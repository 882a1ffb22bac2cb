using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>The identity pool pages in chromium: an administrator creates an identity pool with the wizard, maps a user
/// pool group to a role with the rules editor, asks the simulator who gets which role, and edits the role's trust
/// policy on the IAM roles page (a malformed one is refused at the editor). Every state is scanned by axe-core and
/// photographed.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class IdentityPoolPortalTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    static string Shot(string name) => Path.Combine(Browser.ScreenshotFolder, name);

    static async Task Pick(IPage page, string selectTestId, string itemText)
    {
        await page.GetByTestId(selectTestId).ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(itemText, new() { Exact = true }).ClickAsync();
        await page.AnimationsDone();
    }

    [Fact]
    public async Task An_administrator_creates_a_pool_maps_a_group_to_a_role_and_sees_who_gets_which_role()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var sample = await SamplePool(server);
        var name = "shop-ids-" + Guid.NewGuid().ToString("n")[..6];
        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        var violations = new List<string>();
        async Task Axe(string what)
        {
            await page.AnimationsDone();
            violations.AddRange((await PortalAxeTests.Serious(page)).Select(v => $"{what}: {v}"));
        }

        // The wizard: a name, the shop's app client, guests allowed, new roles for both.
        await Go(page, $"{server.BaseUrl}/identity-pools/new");
        await FillAll(page, ("identity-pool-name", name));
        await page.GetByTestId("wizard-next").ClickAsync();
        await Pick(page, "pick-user-pool", $"{sample.PoolName} ({sample.PoolId})");
        await Assertions.Expect(page.GetByTestId("add-user-pool")).ToBeEnabledAsync();
        await page.GetByTestId("add-user-pool").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-pool-logins")).ToContainTextAsync("shop-web");
        await Axe("wizard, providers");
        await page.GetByTestId("wizard-next").ClickAsync();
        await page.GetByLabel("Only signed-in users get credentials").ClickAsync();
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("authenticated-role-name")).ToBeVisibleAsync();
        await Axe("wizard, roles");
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("identity-pool-summary")).ToContainTextAsync($"new role {name}-guest");
        await Axe("wizard, review");
        await page.ScreenshotAsync(new() { Path = Shot("portal-identity-pool-wizard.png"), FullPage = true });
        await page.GetByTestId("wizard-create").ClickAsync();
        await page.WaitForURLAsync(PoolPage());
        await Assertions.Expect(page.GetByTestId("identity-pool-facts")).ToContainTextAsync("Guests allowed");

        var id = (await Engine.Send(new ListIdentityPoolsRequest { MaxResults = 60 })).IdentityPools!.Single(p => p.IdentityPoolName == name).IdentityPoolId!;
        var roles = (await Engine.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = id })).Roles!;
        Assert.EndsWith($":role/{name}-authenticated", roles["authenticated"]);
        Assert.EndsWith($":role/{name}-guest", roles["unauthenticated"]);
        var staff = (await Engine.Send(new CreateRoleRequest { RoleName = $"{name}-staff", AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(id, true) })).Role!;

        // Cognito's default principal tags for the shop's user pool: the simulator shows them.
        await Engine.Send(new SetPrincipalTagAttributeMapRequest { IdentityPoolId = id, IdentityProviderName = IdentityPoolForm.ProviderNameOf(sample.PoolId), UseDefaults = true });

        // The rules editor: members of the staff group get the staff role.
        await Go(page, $"{server.BaseUrl}/identity-pools/{Uri.EscapeDataString(id)}?tab=mapping");
        await page.GetByText("Rules on the token's claims").ClickAsync();
        await page.GetByTestId("add-rule").ClickAsync();
        await Field(page, "rule-0-claim").FillAsync("cognito:groups");
        await Pick(page, "rule-0-match", "contains");
        await Field(page, "rule-0-value").FillAsync("staff");
        await Pick(page, "rule-0-role", staff.RoleName!);
        await page.GetByTestId("save-mapping").ClickAsync();
        await Assertions.Expect(Snackbar(page, "Role mappings saved.")).ToBeVisibleAsync();
        var mapping = (await Engine.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = id })).RoleMappings!.Values.Single();
        var rule = Assert.Single(mapping.RulesConfiguration!.Rules!);
        Assert.Equal(("cognito:groups", "Contains", "staff", staff.Arn), (rule.Claim, rule.MatchType, rule.Value, rule.RoleARN));
        await Axe("role mapping");
        await page.ScreenshotAsync(new() { Path = Shot("portal-identity-pool-rules.png"), FullPage = true });

        // The simulator: grace is staff, alan is not.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Who gets which role" }).ClickAsync();
        await Field(page, "simulate-username").FillAsync("grace");
        await page.GetByTestId("simulate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("simulated-role")).ToHaveTextAsync(staff.Arn!);
        await Assertions.Expect(page.GetByTestId("simulated-rule")).ToHaveTextAsync("Rule 1: cognito:groups contains \"staff\"");
        await Assertions.Expect(page.GetByTestId("simulated-tags")).ToContainTextAsync(sample.ClientId);
        await Axe("simulator");
        await page.ScreenshotAsync(new() { Path = Shot("portal-identity-pool-simulator.png"), FullPage = true });
        await Field(page, "simulate-username").FillAsync("alan");
        await page.GetByTestId("simulate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("simulated-role")).ToHaveTextAsync(roles["authenticated"]);

        // The IAM roles page and one role: its trust policy in Monaco; a malformed one is refused where it was typed.
        await Settle(page, $"{server.BaseUrl}/iam/roles");
        await Assertions.Expect(page.GetByTestId("roles")).ToContainTextAsync($"{name}-staff");
        await Axe("IAM roles");
        await page.ScreenshotAsync(new() { Path = Shot("portal-iam-roles.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = $"{name}-staff", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/iam/roles/{name}-staff$"));
        await Assertions.Expect(page.Locator(".monaco-editor").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".monaco-editor").First).ToContainTextAsync("cognito-identity.amazonaws.com");
        await page.ScreenshotAsync(new() { Path = Shot("portal-iam-role.png"), FullPage = true });
        await page.GetByLabel("Plain text editor").ClickAsync();
        await Field(page, "code-text").FillAsync("{ \"Version\": \"2012-10-17\", \"Statement\": [ { \"Effect\": \"Perhaps\" } ] }");
        await page.GetByTestId("save-trust").ClickAsync();
        await Assertions.Expect(page.GetByText("Invalid effect: Perhaps")).ToBeVisibleAsync();
        var trust = TrustPolicies.Readable((await Engine.Send(new GetRoleRequest { RoleName = $"{name}-staff" })).Role!.AssumeRolePolicyDocument);
        Assert.DoesNotContain("Perhaps", trust);
        await Axe("IAM role, a malformed trust policy");
        await page.ScreenshotAsync(new() { Path = Shot("portal-iam-role-malformed.png"), FullPage = true });

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [GeneratedRegex("/identity-pools/(?!new)[^/?]+$")]
    private static partial Regex PoolPage();
}
