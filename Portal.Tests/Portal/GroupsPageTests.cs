using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class GroupsPageTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<Groups> RenderGroups(params string[] groups)
    {
        pool = Cognito.AddPool("teams");
        foreach (var g in groups) Cognito.AddGroup(pool, g, $"{g} people", 10);
        Nav.NavigateTo($"groups?pool={pool}");
        var page = Ctx.Render<Groups>();
        page.WaitForAssertion(() => Assert.NotEmpty(Cognito.Requests<ListGroupsRequest>()), Wait);
        return page;
    }

    IRenderedComponent<GroupMembers> RenderMembers(int members)
    {
        pool = Cognito.AddPool("teams");
        Cognito.AddGroup(pool, "ops", "Operations", 1);
        Cognito.AddUsers(pool, Enumerable.Range(0, members).Select(i => ($"m{i:D3}", new[] { ("email", $"m{i:D3}@example.com") })), group: "ops");
        Cognito.AddUser(pool, "newbie", ("email", "newbie@example.com"));
        var page = Ctx.Render<GroupMembers>(p => p.Add(x => x.Pool, pool).Add(x => x.Group, "ops"));
        page.WaitForAssertion(() => Assert.NotEmpty(Cognito.Requests<ListUsersInGroupRequest>()), Wait);
        return page;
    }

    [Fact]
    public void Lists_the_groups_of_the_pool_in_the_address()
    {
        var page = RenderGroups("admins", "editors");
        page.WaitForAssertion(() => Assert.Contains("editors people", page.Markup), Wait);
        var sent = Cognito.Requests<ListGroupsRequest>().Last();
        Assert.Equal(pool, sent.UserPoolId);
        Assert.Equal(60, sent.Limit);
        Assert.Contains($"groups/{pool}/admins", page.Markup);
    }

    [Fact]
    public void Create_group_validates_then_shows_engine_errors_next_to_the_field()
    {
        var page = RenderGroups("admins");
        Button(page, "create-group").Click();
        Dialogs.WaitForElement("[data-testid='group-save']", Wait);

        Button(Dialogs, "group-save").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("Group name is required.", Dialogs.Markup), Wait);
        Assert.Empty(Cognito.Requests<CreateGroupRequest>());

        Input(Dialogs, "group-name").Change("admins");
        Button(Dialogs, "group-save").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("A group with the name already exists. (GroupExistsException)", Dialogs.Markup), Wait);

        Input(Dialogs, "group-name").Change("auditors");
        Input(Dialogs, "group-role").Change("not-an-arn");
        Button(Dialogs, "group-save").Click();
        Dialogs.WaitForAssertion(() =>
        {
            var role = Dialogs.Find("[data-testid='group-role']").Closest(".mud-input-control")!;
            Assert.Contains("roleArn", role.TextContent);
        }, Wait);

        Input(Dialogs, "group-role").Change("arn:aws:iam::000000000000:role/auditor");
        Input(Dialogs, "group-precedence").Change("5");
        Input(Dialogs, "group-description").Change("Read-only auditors");
        Button(Dialogs, "group-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Read-only auditors", page.Markup), Wait);
        var sent = Cognito.Requests<CreateGroupRequest>().Last();
        Assert.Equal(("auditors", 5, "arn:aws:iam::000000000000:role/auditor"), (sent.GroupName, sent.Precedence, sent.RoleArn));
        Assert.Contains("Group auditors created.", Snackbars);
    }

    [Fact]
    public void Edit_group_sends_update_group_with_the_name_fixed()
    {
        var page = RenderGroups("admins");
        page.WaitForElement("[data-testid='edit-group-admins']", Wait);
        Button(page, "edit-group-admins").Click();
        Dialogs.WaitForElement("[data-testid='group-save']", Wait);
        Assert.True(Input(Dialogs, "group-name").HasAttribute("readonly"));
        Input(Dialogs, "group-description").Change("Full access");
        Button(Dialogs, "group-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Full access", page.Markup), Wait);
        var sent = Cognito.Requests<UpdateGroupRequest>().Single();
        Assert.Equal(("admins", "Full access", 10), (sent.GroupName, sent.Description, sent.Precedence));
    }

    [Fact]
    public void Delete_group_only_after_confirming()
    {
        var page = RenderGroups("admins");
        page.WaitForElement("[data-testid='delete-group-admins']", Wait);
        Button(page, "delete-group-admins").Click();
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<DeleteGroupRequest>());

        Button(page, "delete-group-admins").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<DeleteGroupRequest>()), Wait);
        page.WaitForAssertion(() => Assert.Contains("No groups in this pool yet.", page.Markup), Wait);
    }

    [Fact]
    public void Members_are_added_by_username_and_removed_after_confirming()
    {
        var page = RenderMembers(2);
        page.WaitForAssertion(() => Assert.Contains("m001@example.com", page.Markup), Wait);

        Input(page, "member-username").Input("newbie");
        Button(page, "member-add").Click();
        page.WaitForAssertion(() => Assert.Contains("newbie@example.com", page.Markup), Wait);
        Assert.Contains("ops", Cognito.GroupsOf(pool, "newbie"));
        Assert.Contains("newbie added to ops.", Snackbars);

        Button(page, "member-remove-m000").Click();
        AnswerDialog(confirm: false);
        Assert.Contains("ops", Cognito.GroupsOf(pool, "m000"));

        Button(page, "member-remove-m000").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.DoesNotContain("m000@example.com", page.Markup), Wait);
        Assert.DoesNotContain("ops", Cognito.GroupsOf(pool, "m000"));
    }

    [Fact]
    public void Adding_an_unknown_user_shows_the_engine_error_next_to_the_username()
    {
        var page = RenderMembers(1);
        Input(page, "member-username").Input("nobody");
        Button(page, "member-add").Click();
        page.WaitForAssertion(() =>
            Assert.Contains("User does not exist. (UserNotFoundException)", page.Find("[data-testid='member-username']").Closest(".mud-input-control")!.TextContent), Wait);
    }

    [Fact]
    public void Members_are_paged_with_next_tokens()
    {
        var page = RenderMembers(65);
        page.WaitForAssertion(() => Assert.Equal(60, page.FindAll("[data-testid='members'] tbody tr").Count), Wait);
        Assert.Null(Cognito.Requests<ListUsersInGroupRequest>().Last().NextToken);
        var first = Shown(page);
        // The engine's opaque token that came with the first page leads to the second, which shows the other five members.
        var toSecond = Cognito.Responses<ListUsersInGroupResponse>().Last().NextToken;
        Assert.NotNull(toSecond);
        Button(page, "members-pager-next").Click();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid='members'] tbody tr").Count), Wait);
        Assert.Equal(toSecond, Cognito.Requests<ListUsersInGroupRequest>().Last().NextToken);
        Assert.Equal(Enumerable.Range(0, 65).Select(i => $"m{i:D3}").Order(), first.Concat(Shown(page)).Order());
        Button(page, "members-pager-previous").Click();
        page.WaitForAssertion(() => Assert.Equal(60, page.FindAll("[data-testid='members'] tbody tr").Count), Wait);
        Assert.Null(Cognito.Requests<ListUsersInGroupRequest>().Last().NextToken);
        Assert.Equal(first, Shown(page));
    }

    /// <summary>The members the page shows, by their remove buttons.</summary>
    static List<string> Shown(IRenderedComponent<GroupMembers> page) =>
        page.FindAll("[data-testid^='member-remove-']").Select(b => b.GetAttribute("data-testid")!["member-remove-".Length..]).ToList();
}
