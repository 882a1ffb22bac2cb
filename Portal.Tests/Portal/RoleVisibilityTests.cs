using Bunit;
using Microsoft.AspNetCore.Components;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;
using Portal.Tests.Infrastructure;
using BrandingPage = Portal.Client.Pages.Branding;

namespace Portal.Tests.Portal;

/// <summary>Every page hides what the operator's role may not do: a viewer changes nothing, an operator manages users and
/// groups but not pools, clients or branding. (The server refuses anyway: OperatorCognitoTests.)</summary>
public sealed class RoleVisibilityTests : PortalPageTest
{
    static readonly OperatorAccess Viewer = new(OperatorRoles.Viewer);
    static readonly OperatorAccess OperatorRole = new(OperatorRoles.Operator);

    string pool = "", client = "";

    void Seed()
    {
        // A domain belongs to one pool of the engine: each test's pool gets its own.
        pool = Cognito.AddPool("shop", p => p with { Domain = PortalServer.Unique("shop-login") });
        Cognito.AddUser(pool, "ada", ("email", "ada@example.com"));
        Cognito.AddUser(pool, "alan", ("email", "alan@example.com"));
        Cognito.AddGroup(pool, "staff", "Shop staff", 1);
        Cognito.AddToGroup(pool, "ada", "staff");
        client = Cognito.AddClient(pool, "web");
        // The engine answers everything but the audit log, which on the shared engine holds every test's changes: here it
        // is empty, as on a Portal where nobody changed anything yet.
        Cognito.Answer = request => request is ListAuditEntriesRequest ? new ListAuditEntriesResponse { Entries = [] } : null;
    }

    IRenderedComponent<T> As<T>(OperatorAccess access, string? url = null, Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        if (url is not null) Nav.NavigateTo(url);
        return Ctx.Render<T>(p =>
        {
            p.AddCascadingValue(access);
            parameters?.Invoke(p);
        });
    }

    static void None<T>(IRenderedComponent<T> page, params string[] testIds) where T : IComponent
    {
        foreach (var id in testIds) Assert.Empty(page.FindAll($"[data-testid='{id}']"));
    }

    static void Present<T>(IRenderedComponent<T> page, params string[] testIds) where T : IComponent
    {
        foreach (var id in testIds) Assert.NotEmpty(page.FindAll($"[data-testid='{id}']"));
    }

    static IEnumerable<string> ButtonLabels<T>(IRenderedComponent<T> page) where T : IComponent =>
        page.FindAll("button, a.mud-button-root").Select(b => (b.GetAttribute("aria-label") ?? b.TextContent).Trim());

    [Fact]
    public void Pools_list_and_settings_are_read_only_for_viewers_and_operators()
    {
        // The list shows every pool of the engine: this test's pool alone.
        UseOwnEngine();
        Seed();
        foreach (var access in new[] { Viewer, OperatorRole })
        {
            var list = As<Pools>(access);
            list.WaitForAssertion(() => Assert.Contains("shop", list.Markup), Wait);
            None(list, "create-pool");

            var detail = As<PoolDetail>(access, parameters: p => p.Add(x => x.Id, pool));
            detail.WaitForElement("[data-testid='pool-tabs']", Wait);
            Present(detail, "read-only");
            Assert.True(detail.Find("fieldset").HasAttribute("disabled"));
            None(detail, "settings-save", "custom-add", "domain-create", "domain-delete", "pool-delete");
            Tab(detail, "Deletion");
            detail.WaitForAssertion(() => Assert.True(Input(detail, "protection").HasAttribute("disabled"), Input(detail, "protection").OuterHtml), Wait);

            var create = As<CreatePool>(access);
            Present(create, "read-only");
            None(create, "pool-wizard", "wizard-create");
        }
    }

    [Fact]
    public void Users_are_read_only_for_viewers()
    {
        Seed();
        var users = As<Users>(Viewer, $"users?pool={pool}");
        users.WaitForAssertion(() => Assert.Contains("ada@example.com", users.Markup), Wait);
        None(users, "create-user", "delete-selected", "disable-selected");
        Assert.Empty(users.FindAll("[data-testid='users-grid'] input[type='checkbox']"));

        var detail = As<UserDetail>(Viewer, $"users/{pool}/ada", p => p.Add(x => x.Pool, pool).Add(x => x.Username, "ada"));
        detail.WaitForAssertion(() => Assert.NotEmpty(detail.FindAll("[data-testid='attributes']")), Wait);
        Present(detail, "read-only");
        None(detail, "action-enable", "action-disable", "action-reset", "action-set-password", "action-delete", "action-signout",
            "attr-edit-email", "user-group-remove-staff", "group-add", "action-mfa-off");
        Present(detail, "user-mfa");
    }

    [Fact]
    public void Operators_manage_users_and_groups()
    {
        Seed();
        var users = As<Users>(OperatorRole, $"users?pool={pool}");
        users.WaitForAssertion(() => Assert.Contains("ada@example.com", users.Markup), Wait);
        Present(users, "create-user");
        users.Find("[data-testid='users-grid'] thead input[type='checkbox']").Change(true);
        users.WaitForAssertion(() => Present(users, "delete-selected", "disable-selected"), Wait);

        var detail = As<UserDetail>(OperatorRole, $"users/{pool}/ada", p => p.Add(x => x.Pool, pool).Add(x => x.Username, "ada"));
        detail.WaitForAssertion(() => Assert.NotEmpty(detail.FindAll("[data-testid='attributes']")), Wait);
        Present(detail, "action-disable", "action-delete", "attr-edit-email", "user-group-remove-staff", "action-mfa-off");
        None(detail, "read-only");

        var groups = As<Groups>(OperatorRole, $"groups?pool={pool}");
        groups.WaitForAssertion(() => Assert.Contains("Shop staff", groups.Markup), Wait);
        Present(groups, "create-group", "edit-group-staff", "delete-group-staff");

        var members = As<GroupMembers>(OperatorRole, parameters: p => p.Add(x => x.Pool, pool).Add(x => x.Group, "staff"));
        members.WaitForAssertion(() => Assert.Contains("ada", members.Markup), Wait);
        Present(members, "member-add", "member-remove-ada");
    }

    [Fact]
    public void Groups_are_read_only_for_viewers()
    {
        Seed();
        var groups = As<Groups>(Viewer, $"groups?pool={pool}");
        groups.WaitForAssertion(() => Assert.Contains("Shop staff", groups.Markup), Wait);
        None(groups, "create-group", "edit-group-staff", "delete-group-staff");

        var members = As<GroupMembers>(Viewer, parameters: p => p.Add(x => x.Pool, pool).Add(x => x.Group, "staff"));
        members.WaitForAssertion(() => Assert.Contains("ada", members.Markup), Wait);
        None(members, "member-add", "member-remove-ada", "member-username");
    }

    [Fact]
    public void App_clients_and_resource_servers_need_an_administrator()
    {
        Seed();
        foreach (var access in new[] { Viewer, OperatorRole })
        {
            var list = As<AppClients>(access, $"clients?pool={pool}");
            list.WaitForAssertion(() => Assert.Contains(client, list.Markup), Wait);
            None(list, "create-client", $"delete-client-{client}", "create-resource-server");
            Assert.DoesNotContain(ButtonLabels(list), l => l.StartsWith("Edit ", StringComparison.Ordinal) || l.StartsWith("Delete ", StringComparison.Ordinal));

            var editor = As<AppClientEditor>(access, parameters: p => p.Add(x => x.Pool, pool).Add(x => x.ClientId, client));
            editor.WaitForAssertion(() => Present(editor, "read-only"), Wait);
            None(editor, "client-save");
            Assert.True(editor.Find("fieldset").HasAttribute("disabled"));
        }
    }

    [Fact]
    public void Branding_is_read_only_below_administrator()
    {
        Seed();
        foreach (var access in new[] { Viewer, OperatorRole })
        {
            var page = As<BrandingPage>(access, $"branding?pool={pool}");
            page.WaitForAssertion(() => Present(page, "branding-read-only"), Wait);
            Assert.True(Button(page, "save-branding").HasAttribute("disabled"));
            Assert.True(Button(page, "discard-branding").HasAttribute("disabled"));
            Assert.True(Input(page, "css-editor").HasAttribute("disabled"));
            None(page, "preview-frame");
        }
        Assert.Empty(Cognito.Requests<CreateBrandingPreviewRequest>());
    }

    [Fact]
    public void Outbox_audit_and_dashboard_offer_no_changes_to_a_viewer()
    {
        Seed();
        var outbox = As<Outbox>(Viewer, $"outbox?pool={pool}");
        outbox.WaitForAssertion(() => Assert.Contains("No messages", outbox.Markup), Wait);
        var audit = As<Audit>(Viewer, "audit");
        audit.WaitForAssertion(() => Assert.Contains("No changes recorded", audit.Markup), Wait);
        var home = As<Home>(Viewer, "");
        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid='activity-totals']")), Wait);
        foreach (var labels in new[] { ButtonLabels(outbox), ButtonLabels(audit), ButtonLabels(home) })
            Assert.DoesNotContain(labels, l => l.Contains("Delete") || l.Contains("Create") || l.Contains("Save") || l.Contains("Disable"));
    }
}
