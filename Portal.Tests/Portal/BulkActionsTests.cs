using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

/// <summary>Deleting or disabling the selected users: asked first, n of m shown, and Cancel stops before the next user.</summary>
public sealed class BulkActionsTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<Users> RenderUsers(int count)
    {
        pool = Cognito.AddPool("customers");
        Cognito.AddUsers(pool, Enumerable.Range(0, count).Select(i => ($"user{i:D2}", new[] { ("email", $"user{i:D2}@example.com") })));
        Nav.NavigateTo($"users?pool={pool}");
        var page = Ctx.Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(count, page.FindAll("[data-testid='users-grid'] tbody tr.mud-table-row").Count), Wait);
        return page;
    }

    void SelectAll(IRenderedComponent<Users> page)
    {
        page.Find("[data-testid='users-grid'] thead input[type='checkbox']").Change(true);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='selected-count']")), Wait);
    }

    [Fact]
    public void Deleting_the_selected_users_asks_first_and_counts_them()
    {
        var page = RenderUsers(5);
        SelectAll(page);
        Assert.Equal("5 selected", page.Find("[data-testid='selected-count']").TextContent.Trim());
        Button(page, "delete-selected").Click();
        Dialogs.WaitForElement("[data-testid='confirm-message']", Wait);
        Assert.Contains("user00, user01, user02, user03, user04", Dialogs.Find("[data-testid='confirm-message']").TextContent);
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("5 user(s) deleted", page.Find("[data-testid='bulk-summary']").TextContent), Wait);
        Assert.Equal("Delete users: 5 of 5", page.Find("[data-testid='bulk-count']").TextContent.Trim());
        Assert.Equal(5, Cognito.Requests<AdminDeleteUserRequest>().Count);
        Assert.All(Enumerable.Range(0, 5), i => Assert.False(Cognito.HasUser(pool, $"user{i:D2}")));
    }

    [Fact]
    public void Declining_the_confirmation_changes_nothing()
    {
        var page = RenderUsers(3);
        SelectAll(page);
        Button(page, "delete-selected").Click();
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<AdminDeleteUserRequest>());
        Assert.Empty(page.FindAll("[data-testid='bulk-progress']"));
    }

    [Fact]
    public void Cancel_stops_the_deletes_and_leaves_the_rest()
    {
        var page = RenderUsers(8);
        var progressSeen = new List<string>();
        var deletes = 0;
        Cognito.Answer = request =>
        {
            if (request is not AdminDeleteUserRequest) return null;
            deletes++;
            // While the third user is being deleted, the operator sees the progress and presses Cancel.
            if (deletes == 3)
            {
                progressSeen.Add(page.Find("[data-testid='bulk-count']").TextContent.Trim());
                page.Find("[data-testid='bulk-cancel']").Click();
            }
            return null;
        };
        SelectAll(page);
        Button(page, "delete-selected").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("Cancelled", page.Find("[data-testid='bulk-summary']").TextContent), Wait);

        Assert.Equal(["Delete users: 2 of 8"], progressSeen);
        Assert.Equal(3, Cognito.Requests<AdminDeleteUserRequest>().Count);
        Assert.Equal("Cancelled: 3 user(s) deleted; 5 left unchanged.", page.Find("[data-testid='bulk-summary']").TextContent.Trim());
        var deleted = Cognito.Requests<AdminDeleteUserRequest>().Select(r => r.Username).ToHashSet();
        for (var i = 0; i < 8; i++)
            Assert.Equal(!deleted.Contains($"user{i:D2}"), Cognito.HasUser(pool, $"user{i:D2}"));
    }

    [Fact]
    public void Disabling_the_selected_users_reports_failures_beside_the_progress()
    {
        var page = RenderUsers(4);
        Cognito.Fail = r => r is AdminDisableUserRequest { Username: "user02" } ? new UserNotFoundException("User does not exist.") : null;
        SelectAll(page);
        Button(page, "disable-selected").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("3 user(s) disabled; 1 failed.", page.Find("[data-testid='bulk-summary']").TextContent), Wait);
        Assert.Contains("user02: User does not exist. (UserNotFoundException)", page.Find("[data-testid='bulk-failures']").TextContent);
        Assert.False(Cognito.IsEnabled(pool, "user00"));
        Assert.True(Cognito.IsEnabled(pool, "user02"));
    }
}
