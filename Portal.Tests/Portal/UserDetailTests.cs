using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class UserDetailTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<UserDetail> RenderUser(string username = "dora")
    {
        // A policy of length alone: the passwords the tests type are about length, not character classes.
        pool = Cognito.AddPool("staff", p => p with
        {
            Policies = new UserPoolPolicyType { PasswordPolicy = new PasswordPolicyType { MinimumLength = 8, TemporaryPasswordValidityDays = 7 } },
        });
        Cognito.AddUser(pool, username, ("email", "dora@example.com"), ("email_verified", "true"), ("given_name", "Dora"));
        Cognito.AddGroup(pool, "admins");
        Cognito.AddGroup(pool, "editors");
        Cognito.AddToGroup(pool, username, "admins");
        Nav.NavigateTo($"users/{pool}/{username}");
        var page = Ctx.Render<UserDetail>(p => p.Add(x => x.Pool, pool).Add(x => x.Username, username));
        page.WaitForElement("[data-testid='attributes']", Wait);
        return page;
    }

    [Fact]
    public void Shows_attributes_status_verification_and_groups_with_immutable_ones_read_only()
    {
        var page = RenderUser();
        Assert.Contains("dora@example.com", page.Find("[data-testid='attr-email']").TextContent);
        Assert.Contains("Status: CONFIRMED", page.Find("[data-testid='user-state']").TextContent);
        Assert.Contains("Email verified", page.Find("[data-testid='user-state']").TextContent);
        Assert.Contains("read-only", page.Find("[data-testid='attr-sub']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='attr-edit-sub']"));
        Assert.NotEmpty(page.FindAll("[data-testid='attr-edit-email']"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='user-group-admins']")), Wait);
    }

    [Fact]
    public void Delete_happens_only_after_confirming()
    {
        var page = RenderUser();
        Button(page, "action-delete").Click();
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<AdminDeleteUserRequest>());
        Assert.True(Cognito.HasUser(pool, "dora"));

        Button(page, "action-delete").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.False(Cognito.HasUser(pool, "dora")), Wait);
        Assert.Single(Cognito.Requests<AdminDeleteUserRequest>());
        Assert.EndsWith($"users?pool={pool}", Nav.Uri);
        Assert.Contains("dora was deleted.", Snackbars);
    }

    [Fact]
    public void An_engine_error_on_an_attribute_is_shown_next_to_that_field()
    {
        var page = RenderUser();
        Button(page, "attr-edit-email").Click();
        Input(page, "attr-input-email").Input("broken");
        Button(page, "attr-save-email").Click();
        page.WaitForAssertion(() =>
        {
            var row = page.Find("[data-testid='attr-email']");
            Assert.Contains("Invalid email address format. (InvalidParameterException)", row.TextContent);
        }, Wait);
        Assert.Equal("dora@example.com", Cognito.Attribute(pool, "dora", "email"));

        Input(page, "attr-input-email").Input("dora@new.example.com");
        Button(page, "attr-save-email").Click();
        page.WaitForAssertion(() => Assert.Equal("dora@new.example.com", Cognito.Attribute(pool, "dora", "email")), Wait);
        var sent = Cognito.Requests<AdminUpdateUserAttributesRequest>().Last();
        Assert.Equal([new AttributeType { Name = "email", Value = "dora@new.example.com" }], sent.UserAttributes);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='attr-input-email']")), Wait);
        Assert.DoesNotContain("InvalidParameterException", page.Find("[data-testid='attr-email']").TextContent);
    }

    [Fact]
    public void Disable_and_enable_confirm_then_report_in_a_snackbar()
    {
        var page = RenderUser();
        Button(page, "action-disable").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.False(Cognito.IsEnabled(pool, "dora")), Wait);
        page.WaitForAssertion(() => Assert.Contains("dora is disabled.", Snackbars), Wait);

        page.WaitForElement("[data-testid='action-enable']", Wait);
        Button(page, "action-enable").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.True(Cognito.IsEnabled(pool, "dora")), Wait);
    }

    [Fact]
    public void A_refused_action_is_shown_as_readable_text()
    {
        var page = RenderUser();
        Cognito.Fail = r => r is AdminUserGlobalSignOutRequest ? new NotAuthorizedException("Access Token has been revoked") : null;
        Button(page, "action-signout").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("Sign out everywhere failed: Access Token has been revoked (NotAuthorizedException)",
            page.Find("[data-testid='action-error']").TextContent), Wait);
        Assert.Contains(Snackbars, s => s!.Contains("NotAuthorizedException"));
    }

    [Fact]
    public void Set_password_shows_the_policy_error_next_to_the_password()
    {
        var page = RenderUser();
        Button(page, "action-set-password").Click();
        Dialogs.WaitForElement("[data-testid='set-password-submit']", Wait);
        Input(Dialogs, "set-password").Change("short");
        Button(Dialogs, "set-password-submit").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("Password did not conform with policy", Dialogs.Markup), Wait);
        Assert.Empty(Dialogs.FindAll("[data-testid='set-password-error']"));

        Input(Dialogs, "set-password").Change("a-long-enough-password");
        Input(Dialogs, "set-password-permanent").Change(false);
        Button(Dialogs, "set-password-submit").Click();
        page.WaitForAssertion(() => Assert.Contains(Snackbars, s => s!.Contains("temporary password")), Wait);
        var sent = Cognito.Requests<AdminSetUserPasswordRequest>().Last();
        Assert.False(sent.Permanent);
        Assert.Equal("a-long-enough-password", sent.Password);
    }

    [Fact]
    public void Groups_are_added_and_removed_from_the_user_page()
    {
        var page = RenderUser();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='user-group-admins']")), Wait);
        Choose(page, "group-to-add", "editors");
        Button(page, "group-add").Click();
        page.WaitForAssertion(() => Assert.Contains("editors", Cognito.GroupsOf(pool, "dora")), Wait);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='user-group-editors']")), Wait);

        Button(page, "user-group-remove-admins").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.DoesNotContain("admins", Cognito.GroupsOf(pool, "dora")), Wait);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='user-group-admins']")), Wait);
    }

    [Fact]
    public void An_unknown_user_is_reported()
    {
        pool = Cognito.AddPool("empty");
        var page = Ctx.Render<UserDetail>(p => p.Add(x => x.Pool, pool).Add(x => x.Username, "ghost"));
        page.WaitForAssertion(() => Assert.Contains("Could not read user ghost: User does not exist. (UserNotFoundException)",
            page.Find("[data-testid='user-load-error']").TextContent), Wait);
    }
}
