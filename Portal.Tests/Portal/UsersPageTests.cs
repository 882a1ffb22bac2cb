using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class UsersPageTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<Users> RenderUsers(int count, Func<int, (string, string)[]>? attributes = null)
    {
        pool = Cognito.AddPool("customers");
        Cognito.AddUsers(pool, Enumerable.Range(0, count).Select(i => ($"user{i:D3}", attributes?.Invoke(i) ?? [("email", $"user{i:D3}@example.com")])));
        Nav.NavigateTo($"users?pool={pool}");
        var page = Ctx.Render<Users>();
        page.WaitForAssertion(() => Assert.NotEmpty(Cognito.Requests<ListUsersRequest>()), Wait);
        return page;
    }

    static int Rows(IRenderedComponent<Users> page) => page.FindAll("[data-testid='users-grid'] tbody tr.mud-table-row").Count;

    [Fact]
    public void First_page_asks_for_60_users_without_a_token_and_shows_them()
    {
        var page = RenderUsers(70);
        page.WaitForAssertion(() => Assert.Equal(60, Rows(page)), Wait);
        var first = Cognito.Requests<ListUsersRequest>().Last();
        Assert.Equal(pool, first.UserPoolId);
        Assert.Equal(60, first.Limit);
        Assert.Null(first.PaginationToken);
        Assert.Null(first.Filter);
        Assert.Contains("user000@example.com", page.Markup);
        Assert.Equal("Page 1", page.Find("[data-testid='users-pager-page']").TextContent);
    }

    [Fact]
    public void Next_and_previous_send_the_tokens_of_the_pages_they_show()
    {
        var page = RenderUsers(130);
        page.WaitForAssertion(() => Assert.Equal(60, Rows(page)), Wait);
        // The engine's opaque token that came with the first page leads to the second.
        var toSecond = Cognito.Responses<ListUsersResponse>().Last().PaginationToken;
        Assert.NotNull(toSecond);

        Button(page, "users-pager-next").Click();
        page.WaitForAssertion(() => Assert.Equal(toSecond, Cognito.Requests<ListUsersRequest>().Last().PaginationToken), Wait);
        page.WaitForAssertion(() => Assert.Contains("user060", page.Markup), Wait);
        Assert.Equal("Page 2", page.Find("[data-testid='users-pager-page']").TextContent);
        Assert.DoesNotContain("user059", page.Markup);
        Assert.Contains("user119", page.Markup);
        var toThird = Cognito.Responses<ListUsersResponse>().Last().PaginationToken;
        Assert.NotNull(toThird);
        Assert.NotEqual(toSecond, toThird);

        Button(page, "users-pager-next").Click();
        page.WaitForAssertion(() => Assert.Equal(10, Rows(page)), Wait);
        Assert.Equal(toThird, Cognito.Requests<ListUsersRequest>().Last().PaginationToken);
        Assert.True(Button(page, "users-pager-next").HasAttribute("disabled"));

        Button(page, "users-pager-previous").Click();
        page.WaitForAssertion(() => Assert.Equal(60, Rows(page)), Wait);
        Assert.Equal(toSecond, Cognito.Requests<ListUsersRequest>().Last().PaginationToken);

        Button(page, "users-pager-previous").Click();
        page.WaitForAssertion(() => Assert.Contains("user000", page.Markup), Wait);
        Assert.Null(Cognito.Requests<ListUsersRequest>().Last().PaginationToken);
        Assert.True(Button(page, "users-pager-previous").HasAttribute("disabled"));
    }

    [Fact]
    public void Typing_a_search_sends_a_prefix_filter_after_the_debounce()
    {
        var page = RenderUsers(5, i => [("email", i < 2 ? $"ab{i}@example.com" : $"zz{i}@example.com")]);
        var before = Cognito.Requests<ListUsersRequest>().Count;
        Input(page, "search-text").Input("ab");
        // Debounced: nothing is sent at once.
        Assert.Equal(before, Cognito.Requests<ListUsersRequest>().Count);
        page.WaitForAssertion(() => Assert.Equal("email ^= \"ab\"", Cognito.Requests<ListUsersRequest>().Last().Filter), Wait);
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page)), Wait);
        Assert.Null(Cognito.Requests<ListUsersRequest>().Last().PaginationToken);
    }

    [Fact]
    public void Exact_match_and_another_attribute_change_the_filter()
    {
        var page = RenderUsers(3, i => [("email", $"u{i}@example.com"), ("given_name", i == 0 ? "Jo" : "Joanna")]);
        Choose(page, "search-attribute", "given_name");
        Input(page, "search-text").Input("Jo");
        page.WaitForAssertion(() => Assert.Equal("given_name ^= \"Jo\"", Cognito.Requests<ListUsersRequest>().Last().Filter), Wait);
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page)), Wait);

        Input(page, "search-prefix").Change(false);
        page.WaitForAssertion(() => Assert.Equal("given_name = \"Jo\"", Cognito.Requests<ListUsersRequest>().Last().Filter), Wait);
        page.WaitForAssertion(() => Assert.Equal(1, Rows(page)), Wait);
    }

    [Fact]
    public void Status_filter_asks_the_engine_for_disabled_users()
    {
        var page = RenderUsers(4);
        Cognito.SetUser(pool, "user002", enabled: false);
        Choose(page, "status-filter", "Disabled");
        page.WaitForAssertion(() => Assert.Equal("status = \"Disabled\"", Cognito.Requests<ListUsersRequest>().Last().Filter), Wait);
        page.WaitForAssertion(() => Assert.Equal(1, Rows(page)), Wait);
        Assert.Contains("user002", page.Markup);

        Choose(page, "status-filter", "UNCONFIRMED");
        page.WaitForAssertion(() => Assert.Equal("cognito:user_status = \"UNCONFIRMED\"", Cognito.Requests<ListUsersRequest>().Last().Filter), Wait);
    }

    [Fact]
    public void Column_chooser_shows_and_hides_columns()
    {
        var page = RenderUsers(2, i => [("email", $"u{i}@example.com"), ("phone_number", $"+1555000000{i}")]);
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page)), Wait);
        Assert.DoesNotContain("+15550000000", page.Markup);
        Assert.Contains("u0@example.com", page.Markup);

        Button(page, "columns-menu").Click();
        Popovers.WaitForElement("[data-testid='column-phone_number']", Wait);
        Input(Popovers, "column-phone_number").Change(true);
        page.WaitForAssertion(() => Assert.Contains("+15550000000", page.Markup), Wait);
        Assert.Contains(page.FindAll("th"), th => th.TextContent.Contains("Phone number"));

        Input(Popovers, "column-email").Change(false);
        page.WaitForAssertion(() => Assert.DoesNotContain("u0@example.com", page.Markup), Wait);
    }

    [Fact]
    public void Engine_errors_while_listing_are_shown()
    {
        Cognito.Fail = r => r is ListUsersRequest ? new TooManyRequestsException("Rate exceeded") : null;
        var page = RenderUsers(1);
        page.WaitForAssertion(() => Assert.Contains("Could not list users: Rate exceeded (TooManyRequestsException)",
            page.Find("[data-testid='users-error']").TextContent), Wait);
    }

    [Fact]
    public void Without_a_pool_in_the_address_the_first_pool_is_chosen_and_remembered()
    {
        // Which pool is first depends on every pool of the engine: this test's two alone.
        UseOwnEngine();
        var first = Cognito.AddPool("alpha");
        Cognito.AddPool("beta");
        Cognito.AddUser(first, "ann", ("email", "ann@example.com"));
        Nav.NavigateTo("users");
        var page = Ctx.Render<Users>();
        page.WaitForAssertion(() => Assert.EndsWith($"users?pool={first}", Nav.Uri), Wait);
        page.WaitForAssertion(() => Assert.Contains("ann@example.com", page.Markup), Wait);
    }

    [Fact]
    public void Create_user_checks_the_username_then_shows_engine_errors_next_to_the_field()
    {
        var page = RenderUsers(1);
        Button(page, "create-user").Click();
        Dialogs.WaitForElement("[data-testid='create-user-submit']", Wait);

        Button(Dialogs, "create-user-submit").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("Username is required.", Dialogs.Markup), Wait);
        Assert.Empty(Cognito.Requests<AdminCreateUserRequest>());

        Input(Dialogs, "new-username").Change("carol");
        Input(Dialogs, "new-email").Change("not-an-email");
        Button(Dialogs, "create-user-submit").Click();
        Dialogs.WaitForAssertion(() =>
        {
            var field = Dialogs.Find("[data-testid='new-email']").ParentElement!.ParentElement!;
            Assert.Contains("Invalid email address format. (InvalidParameterException)", Dialogs.Markup);
            Assert.Contains("mud-input-error", Dialogs.Find("[data-testid='new-email']").OuterHtml + field.OuterHtml);
        }, Wait);
        Assert.Empty(Dialogs.FindAll("[data-testid='create-user-error']"));

        Input(Dialogs, "new-email").Change("carol@example.com");
        Input(Dialogs, "new-suppress").Change(true);
        Button(Dialogs, "create-user-submit").Click();
        page.WaitForAssertion(() => Assert.True(Cognito.HasUser(pool, "carol")), Wait);
        var sent = Cognito.Requests<AdminCreateUserRequest>().Last();
        Assert.Equal("SUPPRESS", sent.MessageAction);
        Assert.Contains(sent.UserAttributes!, a => a is { Name: "email", Value: "carol@example.com" });
        page.WaitForAssertion(() => Assert.Contains("User carol created.", Snackbars), Wait);
    }

    [Fact]
    public void Search_filter_text_is_quoted_as_cognito_expects()
    {
        Assert.Equal("email ^= \"ab\"", Users.SearchFilter("email", true, "ab"));
        Assert.Equal("username = \"a\\\"b\"", Users.SearchFilter("username", false, "a\"b"));
    }
}
