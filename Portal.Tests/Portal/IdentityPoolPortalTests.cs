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
        await Arrive(page, PoolPage(), "create-identity-pool-error");
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
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/iam/roles/{name}-staff$"));
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

    /// <summary>Whether the page's tab strip scrolls (MudTabs draws scroll buttons, or its tabs are wider than the bar).</summary>
    internal static Task<string?> TabStripOverflow(IPage page) => page.EvaluateAsync<string?>("""
        () => {
            const bar = document.querySelector('.mud-tabs-tabbar-wrapper');
            const content = document.querySelector('.mud-tabs-tabbar-content');
            if (!bar || !content) return 'no tab strip';
            const buttons = [...document.querySelectorAll('.mud-tabs-scroll-button')].filter(b => b.getBoundingClientRect().width > 0);
            const right = Math.max(...[...document.querySelectorAll('.mud-tab')].map(t => t.getBoundingClientRect().right));
            return buttons.length > 0 || right > content.getBoundingClientRect().right + 1
                ? `tabs end at ${Math.round(right)}px in a strip ending at ${Math.round(content.getBoundingClientRect().right)}px, ${buttons.length} scroll buttons` : null;
        }
        """);

    [Fact]
    public async Task At_1280_px_the_pool_page_shows_every_tab_and_an_administrator_edits_tags_and_unlinks_a_login()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var name = "tagged-ids-" + Guid.NewGuid().ToString("n")[..6];
        // A user pool whose user signs in with a password, an identity pool trusting it, and lin's identity holding the login.
        var userPool = (await Engine.Send(new global::Portal.Client.Contract.CreateUserPoolRequest { PoolName = name })).UserPool!.Id!;
        var client = (await Engine.Send(new global::Portal.Client.Contract.CreateUserPoolClientRequest
        {
            UserPoolId = userPool, ClientName = "web", ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        var provider = IdentityPoolForm.ProviderNameOf(userPool);
        var issuer = $"https://{name}.login.example.com";
        var oidc = (await Engine.Send(new CreateOpenIDConnectProviderRequest { Url = issuer, ClientIDList = ["shop-web", "shop-mobile"] })).OpenIDConnectProviderArn!;
        var id = (await Engine.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = name, AllowUnauthenticatedIdentities = false,
            CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = provider, ClientId = client }],
            OpenIdConnectProviderARNs = [oidc],
            IdentityPoolTags = new() { ["team"] = "identity", ["env"] = "dev" },
        })).IdentityPoolId!;
        const string password = "Portal-Test-Passw0rd!";
        await Engine.Send(new global::Portal.Client.Contract.AdminCreateUserRequest { UserPoolId = userPool, Username = "lin", MessageAction = "SUPPRESS" });
        await Engine.Send(new global::Portal.Client.Contract.AdminSetUserPasswordRequest { UserPoolId = userPool, Username = "lin", Password = password, Permanent = true });
        var idToken = (await Engine.Send(new global::Portal.Client.Contract.AdminInitiateAuthRequest
        {
            UserPoolId = userPool, ClientId = client, AuthFlow = "ADMIN_USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "lin", ["PASSWORD"] = password },
        })).AuthenticationResult!.IdToken!;
        var identity = (await Engine.Send(new GetIdRequest { IdentityPoolId = id, Logins = new() { [provider] = idToken } })).IdentityId!;
        var role = (await Engine.Send(new CreateRoleRequest
        {
            RoleName = $"{name}-auth", AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(id, true), Tags = [new() { Key = "team", Value = "identity" }],
        })).Role!;
        // lin's app gets credentials twice: the usage tab counts them.
        await Engine.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = id, Roles = new() { ["authenticated"] = role.Arn! } });
        for (var i = 0; i < 2; i++)
            await Engine.Send(new GetCredentialsForIdentityRequest { IdentityId = identity, Logins = new() { [provider] = idToken } });

        var page = await browser.NewPage(1280, 720);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        var violations = new List<string>();
        async Task Axe(string what)
        {
            await page.AnimationsDone();
            violations.AddRange((await PortalAxeTests.Serious(page)).Select(v => $"{what}: {v}"));
        }

        // Every tab in view at 1280 px, none behind a scroll button.
        await Settle(page, $"{server.BaseUrl}/identity-pools/{Uri.EscapeDataString(id)}?tab=pool-tags");
        Assert.Null(await TabStripOverflow(page));
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Identities" })).ToBeInViewportAsync();

        // Tags: env changes, team goes, cost-centre comes.
        await Field(page, "tag-value-0").FillAsync("prod");
        await page.GetByTestId("tag-remove-1").ClickAsync();
        await page.GetByTestId("tag-add").ClickAsync();
        await FillAll(page, ("tag-key-1", "cost-centre"), ("tag-value-1", "42"));
        await Axe("identity pool, tags");
        await page.ScreenshotAsync(new() { Path = Shot("portal-identity-pool-tags.png"), FullPage = true });
        await page.GetByTestId("tags-save").ClickAsync();
        await Assertions.Expect(Snackbar(page, "Tags saved.")).ToBeVisibleAsync();
        var tags = (await Engine.Send(new DescribeIdentityPoolRequest { IdentityPoolId = id })).IdentityPoolTags!;
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["cost-centre"] = "42" }, tags);

        // Usage: lin's identity, signed in.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Usage" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("usage-authenticated")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("usage-providers")).ToContainTextAsync(provider);
        await Assertions.Expect(page.GetByTestId("usage-credentials-today")).ToHaveTextAsync("2");
        await Axe("identity pool, usage");
        await page.ScreenshotAsync(new() { Path = Shot("portal-identity-pool-usage.png"), FullPage = true });

        // Identities: lin's login is unlinked without its token, after a confirmation.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Identities" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId($"unlink-{provider}")).ToBeVisibleAsync();
        await Axe("identity pool, identities");
        await page.ScreenshotAsync(new() { Path = Shot("portal-identity-pool-identities.png"), FullPage = true });
        await page.GetByTestId($"unlink-{provider}").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(Snackbar(page, $"{provider} unlinked from {identity}.")).ToBeVisibleAsync();
        Assert.Empty((await Engine.Send(new DescribeIdentityRequest { IdentityId = identity })).Logins ?? []);

        // The role's tags on the IAM role page, whose tab strip fits too.
        await Settle(page, $"{server.BaseUrl}/iam/roles/{role.RoleName}");
        Assert.Null(await TabStripOverflow(page));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tags" }).ClickAsync();
        await Assertions.Expect(Field(page, "tag-key-0")).ToHaveValueAsync("team");
        await page.GetByTestId("tag-add").ClickAsync();
        await FillAll(page, ("tag-key-1", "owner"), ("tag-value-1", "platform"));
        await page.GetByTestId("tags-save").ClickAsync();
        await Assertions.Expect(Snackbar(page, "Tags saved.")).ToBeVisibleAsync();
        Assert.Equal([("team", "identity"), ("owner", "platform")],
            (await Engine.Send(new ListRoleTagsRequest { RoleName = role.RoleName })).Tags!.Select(t => (t.Key!, t.Value!)));
        await Axe("IAM role, tags");
        await page.ScreenshotAsync(new() { Path = Shot("portal-iam-role-tags.png"), FullPage = true });

        // IAM's identity providers, with the pool that uses the OpenID Connect one: deleting it is refused with the reason.
        await Settle(page, $"{server.BaseUrl}/iam/providers");
        await Assertions.Expect(page.GetByTestId($"provider-used-{issuer}")).ToContainTextAsync(name);
        await page.GetByTestId($"delete-provider-{issuer}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("providers-error")).ToContainTextAsync($"is used by identity pool {name}");
        Assert.NotNull((await Engine.Send(new GetOpenIDConnectProviderRequest { OpenIDConnectProviderArn = oidc })).Url);
        await Axe("IAM identity providers");
        await page.ScreenshotAsync(new() { Path = Shot("portal-iam-providers-in-use.png"), FullPage = true });

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [GeneratedRegex("/identity-pools/(?!new)[^/?]+$")]
    private static partial Regex PoolPage();
}
