using Bunit;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

/// <summary>The identity pool pages against the real engine: the create wizard, the ordered rules editor and the
/// "who gets which role" simulator, each checked by what the engine holds (or answers) afterwards.</summary>
public sealed class IdentityPoolPagesTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    static string Unique(string stem) => $"{stem}-{Guid.NewGuid():n}"[..(stem.Length + 9)];

    static string ProviderOf(string userPoolId) => IdentityPoolForm.ProviderNameOf(userPoolId);

    Role NewRole(string identityPoolId, bool authenticated = true) =>
        Engine.Setup(new CreateRoleRequest { RoleName = Unique("role"), AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(identityPoolId, authenticated) }).Role!;

    /// <summary>A user pool with an app client that signs in with a password, linked to a new identity pool.</summary>
    (string UserPool, string Client, string IdentityPool) Linked()
    {
        var userPool = Cognito.AddPool("linked-users");
        var client = Engine.Setup(new CreateUserPoolClientRequest
        {
            UserPoolId = userPool, ClientName = "web", ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }).UserPoolClient!.ClientId!;
        var identityPool = Engine.Setup(new CreateIdentityPoolRequest
        {
            IdentityPoolName = Unique("pool"), AllowUnauthenticatedIdentities = false,
            CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = ProviderOf(userPool), ClientId = client }],
        }).IdentityPoolId!;
        return (userPool, client, identityPool);
    }

    void Next<T>(IRenderedComponent<T> page) where T : Microsoft.AspNetCore.Components.IComponent => Press(page, "wizard-next");

    [Fact]
    public void The_list_shows_each_pool_with_guest_access_and_its_providers_and_links_to_it()
    {
        var (_, _, identityPool) = Linked();
        var guests = Engine.Setup(new CreateIdentityPoolRequest
        {
            IdentityPoolName = Unique("guests"), AllowUnauthenticatedIdentities = true,
            SupportedLoginProviders = new() { ["accounts.google.com"] = "app.apps.googleusercontent.com", ["graph.facebook.com"] = "4242" },
            DeveloperProviderName = "login.example.com",
        }).IdentityPoolId!;
        var page = Ctx.Render<IdentityPoolList>();
        page.WaitForAssertion(() => Assert.Equal("3", page.Find($"[data-testid='providers-{guests}']").TextContent.Trim()), Wait);
        Assert.Equal("allowed", page.Find($"[data-testid='guests-{guests}']").TextContent.Trim());
        Assert.Equal("1", page.Find($"[data-testid='providers-{identityPool}']").TextContent.Trim());
        Assert.Equal("off", page.Find($"[data-testid='guests-{identityPool}']").TextContent.Trim());
        Assert.Contains($"href=\"identity-pools/{Uri.EscapeDataString(guests)}\"", page.Markup);
    }

    [Fact]
    public void The_wizard_creates_the_pool_with_its_providers_and_roles_that_trust_it()
    {
        var userPool = Cognito.AddPool("wizard-users");
        var client = Cognito.AddClient(userPool, "web");
        var name = Unique("shop");
        var wizard = Ctx.Render<NewIdentityPool>();

        Next(wizard);
        wizard.WaitForAssertion(() => Assert.Contains("Identity pool name is required.", wizard.Markup), Wait);
        Input(wizard, "identity-pool-name").Change(name);
        Next(wizard);

        wizard.WaitForElement("[data-testid='pick-user-pool']", Wait);
        Next(wizard);
        wizard.WaitForAssertion(() => Assert.Contains("Add at least one way to sign in", wizard.Markup), Wait);
        Choose(wizard, "pick-user-pool", $"wizard-users ({userPool})");
        wizard.WaitForAssertion(() => Assert.False(Button(wizard, "add-user-pool").HasAttribute("disabled")), Wait);
        Press(wizard, "add-user-pool");
        wizard.WaitForAssertion(() => Assert.Contains(client, wizard.Find("[data-testid='user-pool-logins']").TextContent), Wait);
        Input(wizard, "social-accounts.google.com").Change("1234-google.apps.googleusercontent.com");
        Next(wizard);

        wizard.WaitForElement("[data-testid='allow-guests']", Wait);
        Input(wizard, "allow-guests").Change(true);
        Next(wizard);

        wizard.WaitForElement("[data-testid='authenticated-role-name']", Wait);
        Assert.NotEmpty(wizard.FindAll("[data-testid='guest-role']"));
        Input(wizard, "authenticated-role-name").Change("bad name!");
        Next(wizard);
        wizard.WaitForAssertion(() => Assert.Contains("may use letters, digits", wizard.Markup), Wait);
        Input(wizard, "authenticated-role-name").Change("");
        Next(wizard);

        wizard.WaitForElement("[data-testid='wizard-create']", Wait);
        var summary = wizard.Find("[data-testid='identity-pool-summary']").TextContent;
        Assert.Contains($"new role {name}-authenticated", summary);
        Assert.Contains($"new role {name}-guest", summary);
        Assert.Contains("accounts.google.com", summary);
        Press(wizard, "wizard-create");

        wizard.WaitForAssertion(() => Assert.Matches("identity-pools/[^/]+%3A", Nav.Uri), Wait);
        var id = Uri.UnescapeDataString(Nav.Uri[(Nav.Uri.LastIndexOf('/') + 1)..]);
        var pool = Engine.Setup(new DescribeIdentityPoolRequest { IdentityPoolId = id });
        Assert.Equal(name, pool.IdentityPoolName);
        Assert.True(pool.AllowUnauthenticatedIdentities);
        var provider = Assert.Single(pool.CognitoIdentityProviders!);
        Assert.Equal(ProviderOf(userPool), provider.ProviderName);
        Assert.Equal(client, provider.ClientId);
        Assert.Equal("1234-google.apps.googleusercontent.com", pool.SupportedLoginProviders!["accounts.google.com"]);

        var roles = Engine.Setup(new GetIdentityPoolRolesRequest { IdentityPoolId = id }).Roles!;
        Assert.EndsWith($":role/{name}-authenticated", roles["authenticated"]);
        Assert.EndsWith($":role/{name}-guest", roles["unauthenticated"]);
        var trust = TrustPolicies.Readable(Engine.Setup(new GetRoleRequest { RoleName = $"{name}-guest" }).Role!.AssumeRolePolicyDocument);
        Assert.Contains("cognito-identity.amazonaws.com", trust);
        Assert.Contains(id, trust);
        Assert.Contains("\"unauthenticated\"", trust);
    }

    [Fact]
    public void The_rules_editor_keeps_the_order_checks_each_rule_and_saves_the_mapping()
    {
        var (userPool, client, identityPool) = Linked();
        var staff = NewRole(identityPool);
        var admins = NewRole(identityPool);
        var key = $"{ProviderOf(userPool)}:{client}";
        var editor = Ctx.Render<RoleMappingEditor>(p => p
            .Add(e => e.IdentityPoolId, identityPool)
            .Add(e => e.Keys, [(key, "the web client")])
            .Add(e => e.Config, Engine.Setup(new GetIdentityPoolRolesRequest { IdentityPoolId = identityPool }))
            .Add(e => e.Roles, [staff, admins]));

        editor.FindAll("[data-testid='mapping-type'] input[type=radio]")[2].Click();
        editor.WaitForElement("[data-testid='add-rule']", Wait);
        Press(editor, "add-rule");
        Press(editor, "add-rule");
        Press(editor, "add-rule");
        editor.WaitForElement("[data-testid='rule-2-claim']", Wait);
        Input(editor, "rule-0-claim").Change("cognito:groups");
        Choose(editor, "rule-0-match", "contains");
        Input(editor, "rule-0-value").Change("staff");
        Choose(editor, "rule-0-role", staff.RoleName!);
        Input(editor, "rule-1-claim").Change("email");
        Choose(editor, "rule-1-match", "starts with");
        Input(editor, "rule-1-value").Change("admin@");
        Choose(editor, "rule-1-role", admins.RoleName!);
        Input(editor, "rule-2-claim").Change("custom:tier");
        Input(editor, "rule-2-value").Change("gold");

        Press(editor, "save-mapping");
        editor.WaitForAssertion(() => Assert.Equal("Choose the role this rule gives.", editor.Find("[data-testid='rule-2-error']").TextContent.Trim()), Wait);
        Assert.Empty(Cognito.Requests<SetIdentityPoolRolesRequest>());

        Press(editor, "rule-2-remove");
        Press(editor, "rule-1-up");
        Choose(editor, "ambiguous-resolution", "Deny: no credentials");
        Press(editor, "save-mapping");

        editor.WaitForAssertion(() => Assert.Contains("Role mappings saved.", Snackbars), Wait);
        var mapping = Engine.Setup(new GetIdentityPoolRolesRequest { IdentityPoolId = identityPool }).RoleMappings![key];
        Assert.Equal("Rules", mapping.Type);
        Assert.Equal("Deny", mapping.AmbiguousRoleResolution);
        Assert.Collection(mapping.RulesConfiguration!.Rules!,
            r => Assert.Equal(("email", "StartsWith", "admin@", admins.Arn), (r.Claim, r.MatchType, r.Value, r.RoleARN)),
            r => Assert.Equal(("cognito:groups", "Contains", "staff", staff.Arn), (r.Claim, r.MatchType, r.Value, r.RoleARN)));
    }

    [Fact]
    public void The_simulator_shows_the_rule_the_role_and_the_session_tags_for_a_user_and_for_a_token()
    {
        var (userPool, client, identityPool) = Linked();
        var fallback = NewRole(identityPool);
        var staff = NewRole(identityPool);
        Cognito.AddGroup(userPool, "staff");
        Cognito.AddUser(userPool, "grace", ("email", "grace@example.com"));
        Cognito.AddUser(userPool, "alan", ("email", "alan@example.com"));
        Cognito.AddToGroup(userPool, "grace", "staff");
        Engine.Setup(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = identityPool, Roles = new() { ["authenticated"] = fallback.Arn! },
            RoleMappings = new()
            {
                [$"{ProviderOf(userPool)}:{client}"] = new RoleMapping
                {
                    Type = "Rules", AmbiguousRoleResolution = "AuthenticatedRole",
                    RulesConfiguration = new() { Rules = [new() { Claim = "cognito:groups", MatchType = "Contains", Value = "staff", RoleARN = staff.Arn }] },
                },
            },
        });
        Engine.Setup(new SetPrincipalTagAttributeMapRequest
        {
            IdentityPoolId = identityPool, IdentityProviderName = ProviderOf(userPool), UseDefaults = false,
            PrincipalTags = new() { ["team_mail"] = "email", ["client"] = "aud" },
        });
        var form = IdentityPoolForm.From(Engine.Setup(new DescribeIdentityPoolRequest { IdentityPoolId = identityPool }));
        var simulator = Ctx.Render<RoleSimulator>(p => p.Add(s => s.IdentityPoolId, identityPool).Add(s => s.Form, form));

        Input(simulator, "simulate-username").Change("grace");
        Press(simulator, "simulate");
        simulator.WaitForAssertion(() => Assert.Equal(staff.Arn, simulator.Find("[data-testid='simulated-role']").TextContent.Trim()), Wait);
        Assert.Equal("Rule 1: cognito:groups contains \"staff\"", simulator.Find("[data-testid='simulated-rule']").TextContent.Trim());
        var tags = simulator.Find("[data-testid='simulated-tags']").TextContent;
        Assert.Contains("grace@example.com", tags);
        Assert.Contains(client, tags);

        Input(simulator, "simulate-username").Change("alan");
        Press(simulator, "simulate");
        simulator.WaitForAssertion(() => Assert.Equal(fallback.Arn, simulator.Find("[data-testid='simulated-role']").TextContent.Trim()), Wait);
        Assert.Empty(simulator.FindAll("[data-testid='simulated-rule']"));

        const string password = "Component-Test-Passw0rd!";
        Engine.Setup(new AdminSetUserPasswordRequest { UserPoolId = userPool, Username = "grace", Password = password, Permanent = true });
        var idToken = Engine.Setup(new AdminInitiateAuthRequest
        {
            UserPoolId = userPool, ClientId = client, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "grace", ["PASSWORD"] = password },
        }).AuthenticationResult!.IdToken!;
        simulator.FindAll("[data-testid='simulate-mode'] input[type=radio]")[1].Click();
        simulator.WaitForElement("[data-testid='simulate-token']", Wait);
        Input(simulator, "simulate-token").Change(idToken);
        Press(simulator, "simulate");
        simulator.WaitForAssertion(() => Assert.Equal(staff.Arn, simulator.Find("[data-testid='simulated-role']").TextContent.Trim()), Wait);
        Assert.Empty(simulator.FindAll("[data-testid='simulated-warning']"));

        Input(simulator, "simulate-token").Change(idToken[..^4] + "AAAA");
        Press(simulator, "simulate");
        simulator.WaitForAssertion(() => Assert.Contains("signature", simulator.Find("[data-testid='simulated-warning']").TextContent), Wait);
    }

    [Fact]
    public void A_viewer_sees_the_mapping_but_no_control_that_changes_it()
    {
        var (userPool, client, identityPool) = Linked();
        var staff = NewRole(identityPool);
        var key = $"{ProviderOf(userPool)}:{client}";
        Engine.Setup(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = identityPool, Roles = new() { ["authenticated"] = staff.Arn! },
            RoleMappings = new() { [key] = new RoleMapping { Type = "Rules", AmbiguousRoleResolution = "Deny", RulesConfiguration = new() { Rules = [new() { Claim = "email", MatchType = "Equals", Value = "a@b.c", RoleARN = staff.Arn }] } } },
        });
        var editor = Ctx.Render<RoleMappingEditor>(p => p
            .Add(e => e.IdentityPoolId, identityPool).Add(e => e.Keys, [(key, "the web client")]).Add(e => e.ReadOnly, true)
            .Add(e => e.Config, Engine.Setup(new GetIdentityPoolRolesRequest { IdentityPoolId = identityPool })).Add(e => e.Roles, [staff]));
        editor.WaitForElement("[data-testid='rule-0-claim']", Wait);
        Assert.Equal("email", Input(editor, "rule-0-claim").GetAttribute("value"));
        Assert.Empty(editor.FindAll("[data-testid='save-mapping']"));
        Assert.Empty(editor.FindAll("[data-testid='add-rule']"));
        Assert.Empty(editor.FindAll("[data-testid='rule-0-remove']"));
    }
}
