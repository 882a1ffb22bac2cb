using Bunit;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Pages;
using Portal.Client.Security;
using IdentityPoolTags = Portal.Client.Contract.IdentityPools.ListTagsForResourceRequest;

namespace Portal.Tests.Portal;

/// <summary>The tags tabs of the identity pool and IAM role pages, and the operator's unlink of a login on the identities
/// tab, against the real engine: each checked by what the engine holds afterwards.</summary>
public sealed class IdentityPoolTagsAndUnlinkTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    static string Unique(string stem) => $"{stem}-{Guid.NewGuid():n}"[..(stem.Length + 9)];

    /// <summary>The keys in the tags table, in order.</summary>
    static List<string?> Keys<T>(IRenderedComponent<T> page) where T : Microsoft.AspNetCore.Components.IComponent =>
        [.. page.FindAll("[data-testid^='tag-key-']").Select(e => (e.TagName == "INPUT" ? e : e.QuerySelector("input"))?.GetAttribute("value"))];

    static void SetRow<T>(IRenderedComponent<T> page, int row, string key, string value) where T : Microsoft.AspNetCore.Components.IComponent
    {
        Input(page, $"tag-key-{row}").Change(key);
        Input(page, $"tag-value-{row}").Change(value);
    }

    [Fact]
    public void The_pool_pages_tags_tab_adds_changes_and_removes_tags_by_the_pools_ARN()
    {
        var pool = Engine.Setup(new CreateIdentityPoolRequest
        {
            IdentityPoolName = Unique("tagged"), AllowUnauthenticatedIdentities = true,
            IdentityPoolTags = new() { ["team"] = "identity", ["env"] = "dev" },
        }).IdentityPoolId!;
        var page = Ctx.Render<IdentityPoolDetail>(p => p.Add(d => d.Id, pool));
        page.WaitForElement("[data-testid='identity-pool-tabs']", Wait);
        Tab(page, "Tags");
        page.WaitForElement("[data-testid='tag-key-1']", Wait);
        Assert.Equal(["env", "team"], Keys(page));

        SetRow(page, 0, "env", "prod");
        Press(page, "tag-remove-1");
        Press(page, "tag-add");
        SetRow(page, 1, "cost-centre", "42");
        Press(page, "tags-save");
        page.WaitForAssertion(() => Assert.Contains("Tags saved.", Snackbars), Wait);

        var arn = Engine.Setup(new DescribeAccountRequest()).IdentityPoolArn(pool);
        var held = Engine.Setup(new IdentityPoolTags { ResourceArn = arn }).Tags!;
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["cost-centre"] = "42" }, held);
        page.WaitForAssertion(() => Assert.Equal(["cost-centre", "env"], Keys(page)), Wait);
    }

    [Fact]
    public void A_key_given_twice_is_refused_before_anything_is_sent()
    {
        var role = Unique("twice");
        Engine.Setup(new CreateRoleRequest { RoleName = role, AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool("us-east-1:" + Guid.NewGuid(), true), Tags = [new() { Key = "env", Value = "dev" }] });
        var page = Ctx.Render<IamRoleDetail>(p => p.Add(d => d.Name, role));
        page.WaitForElement("[data-testid='role-tabs']", Wait);
        Tab(page, "Tags");
        page.WaitForElement("[data-testid='tag-key-0']", Wait);
        Press(page, "tag-add");
        SetRow(page, 1, "ENV", "prod");   // IAM keys compare regardless of case
        Press(page, "tags-save");
        page.WaitForAssertion(() => Assert.Equal("The key env is there twice: each key once.", page.Find("[data-testid='tags-error']").TextContent.Trim()), Wait);
        Assert.Equal([("env", "dev")], Engine.Setup(new ListRoleTagsRequest { RoleName = role }).Tags!.Select(t => (t.Key!, t.Value!)));

        // The role page's tags go through TagRole and UntagRole.
        Press(page, "tag-remove-0");
        Press(page, "tags-save");
        page.WaitForAssertion(() => Assert.Contains("Tags saved.", Snackbars), Wait);
        Assert.Equal([("ENV", "prod")], Engine.Setup(new ListRoleTagsRequest { RoleName = role }).Tags!.Select(t => (t.Key!, t.Value!)));
    }

    [Fact]
    public void A_viewer_sees_the_tags_without_a_control_that_changes_them()
    {
        var pool = Engine.Setup(new CreateIdentityPoolRequest
        {
            IdentityPoolName = Unique("viewed"), AllowUnauthenticatedIdentities = true, IdentityPoolTags = new() { ["team"] = "identity" },
        }).IdentityPoolId!;
        var page = Ctx.Render<IdentityPoolDetail>(p => p.Add(d => d.Id, pool).Add(d => d.Access, new OperatorAccess(OperatorRoles.Viewer)));
        page.WaitForElement("[data-testid='identity-pool-tabs']", Wait);
        Tab(page, "Tags");
        page.WaitForElement("[data-testid='tag-key-0']", Wait);
        Assert.Equal(["team"], Keys(page));
        Assert.NotNull(Input(page, "tag-key-0").GetAttribute("readonly"));
        Assert.Empty(page.FindAll("[data-testid='tags-save']"));
        Assert.Empty(page.FindAll("[data-testid='tag-add']"));
        Assert.Empty(page.FindAll("[data-testid='tag-remove-0']"));
    }

    /// <summary>An identity pool trusting a user pool's app client, and an identity holding that user pool's login.</summary>
    (string IdentityPool, string IdentityId, string Provider) SignedInIdentity(bool guests = false)
    {
        var userPool = Cognito.AddPool("unlink-users");
        var client = Engine.Setup(new CreateUserPoolClientRequest
        {
            UserPoolId = userPool, ClientName = "web", ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }).UserPoolClient!.ClientId!;
        var provider = IdentityPoolForm.ProviderNameOf(userPool);
        var identityPool = Engine.Setup(new CreateIdentityPoolRequest
        {
            IdentityPoolName = Unique("unlink"), AllowUnauthenticatedIdentities = guests,
            CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = provider, ClientId = client }],
        }).IdentityPoolId!;
        const string password = "Component-Test-Passw0rd!";
        Cognito.AddUser(userPool, "lin", ("email", "lin@example.com"));
        Engine.Setup(new AdminSetUserPasswordRequest { UserPoolId = userPool, Username = "lin", Password = password, Permanent = true });
        var idToken = Engine.Setup(new AdminInitiateAuthRequest
        {
            UserPoolId = userPool, ClientId = client, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "lin", ["PASSWORD"] = password },
        }).AuthenticationResult!.IdToken!;
        var identity = Engine.Setup(new GetIdRequest { IdentityPoolId = identityPool, Logins = new() { [provider] = idToken } }).IdentityId!;
        return (identityPool, identity, provider);
    }

    [Fact]
    public void An_administrator_unlinks_a_user_pool_login_from_an_identity_without_its_token()
    {
        var (pool, identity, provider) = SignedInIdentity();
        var list = Ctx.Render<IdentityList>(p => p.Add(l => l.IdentityPoolId, pool).Add(l => l.MayUnlink, true));
        list.WaitForElement($"[data-testid='unlink-{provider}']", Wait);
        Press(list, $"unlink-{provider}");
        AnswerDialog(confirm: true);
        list.WaitForAssertion(() => Assert.Contains($"{provider} unlinked from {identity}.", Snackbars), Wait);
        Assert.Empty(Engine.Setup(new DescribeIdentityRequest { IdentityId = identity }).Logins ?? []);
        list.WaitForAssertion(() => Assert.Empty(list.FindAll($"[data-testid='login-{provider}']")), Wait);
    }

    [Fact]
    public void Without_the_right_to_unlink_the_identities_tab_shows_the_logins_without_the_button()
    {
        var (pool, identity, provider) = SignedInIdentity();
        var list = Ctx.Render<IdentityList>(p => p.Add(l => l.IdentityPoolId, pool).Add(l => l.ReadOnly, true).Add(l => l.MayUnlink, false));
        list.WaitForElement($"[data-testid='login-{provider}']", Wait);
        Assert.Empty(list.FindAll($"[data-testid='unlink-{provider}']"));
        Assert.Equal([provider], Engine.Setup(new DescribeIdentityRequest { IdentityId = identity }).Logins);
    }

    [Fact]
    public void The_usage_tab_counts_signed_in_identities_guests_logins_per_provider_and_new_identities_today()
    {
        var (pool, _, provider) = SignedInIdentity(guests: true);
        Engine.Setup(new GetIdRequest { IdentityPoolId = pool });
        Engine.Setup(new GetIdRequest { IdentityPoolId = pool });
        var usage = Ctx.Render<IdentityPoolUsage>(p => p.Add(u => u.IdentityPoolId, pool));
        usage.WaitForElement("[data-testid='usage-figures']", Wait);
        Assert.Equal("3", usage.Find("[data-testid='usage-identities']").TextContent.Trim());
        Assert.Equal("1", usage.Find("[data-testid='usage-authenticated']").TextContent.Trim());
        Assert.Equal("2", usage.Find("[data-testid='usage-guests']").TextContent.Trim());
        Assert.Equal($"{provider}1", usage.Find("[data-testid='usage-providers'] tbody tr").TextContent.Replace(" ", "").Trim());
        Assert.NotEqual("none yet", usage.Find("[data-testid='usage-last']").TextContent.Trim());

        var days = Engine.Setup(new DescribeIdentityPoolUsageRequest { IdentityPoolId = pool, Days = 7 }).Days!;
        Assert.Equal(7, days.Count);
        Assert.Equal(3, days[^1].NewIdentities);
        Assert.Equal(0, days.Take(days.Count - 1).Sum(d => d.NewIdentities));
        Assert.Contains("3 in all", usage.Find("[role='img']").GetAttribute("aria-label"));
    }

    [Fact]
    public void The_usage_tab_shows_the_credentials_issued_today_beside_the_new_identities()
    {
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = Unique("issued"), AllowUnauthenticatedIdentities = true }).IdentityPoolId!;
        var role = Engine.Setup(new CreateRoleRequest { RoleName = Unique("guests"), AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(pool, false) }).Role!.Arn!;
        Engine.Setup(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = role } });
        var guest = Engine.Setup(new GetIdRequest { IdentityPoolId = pool }).IdentityId!;
        for (var i = 0; i < 3; i++) Assert.StartsWith("ASIA", Engine.Setup(new GetCredentialsForIdentityRequest { IdentityId = guest }).Credentials!.AccessKeyId);

        var usage = Ctx.Render<IdentityPoolUsage>(p => p.Add(u => u.IdentityPoolId, pool));
        usage.WaitForElement("[data-testid='usage-figures']", Wait);
        Assert.Equal("3", usage.Find("[data-testid='usage-credentials-today']").TextContent.Trim());
        Assert.Equal("1", usage.Find("[data-testid='usage-identities']").TextContent.Trim());
        Assert.Contains("1 in all, 3 credentials", usage.Find("[role='img']").GetAttribute("aria-label"));

        var days = Engine.Setup(new DescribeIdentityPoolUsageRequest { IdentityPoolId = pool, Days = 7 }).Days!;
        Assert.Equal(3, days[^1].CredentialsIssued);
        Assert.Equal(0, days.Take(days.Count - 1).Sum(d => d.CredentialsIssued));
    }
}
