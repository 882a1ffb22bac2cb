using System.Globalization;
using Bunit;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

public sealed class PoolsPageTests : PortalPageTest
{
    void Next(IRenderedComponent<CreatePool> wizard) => Button(wizard, "wizard-next").Click();

    [Fact]
    public void Pool_list_shows_name_id_user_count_and_links_to_the_pool()
    {
        // The list counts the users of every pool of the engine, one DescribeUserPool each: this test's pool alone.
        UseOwnEngine();
        var pool = Cognito.AddPool("orders");
        Cognito.AddUser(pool, "a");
        Cognito.AddUser(pool, "b");
        var page = Ctx.Render<Pools>();
        page.WaitForAssertion(() => Assert.Equal("2", page.Find($"[data-testid='users-{pool}']").TextContent.Trim()), Wait);
        Assert.Contains($"href=\"pools/{pool}\"", page.Markup);
        Assert.Contains("orders", page.Markup);
        Assert.Matches(@"^us-east-1_[0-9A-Za-z]{9}$", pool);
        Assert.Contains(pool, page.Markup);
        Assert.Contains(Cognito.PoolSettings(pool).CreationDate!.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), page.Markup);
    }

    [Fact]
    public void Wizard_sends_the_create_user_pool_request_the_answers_make()
    {
        var wizard = Ctx.Render<CreatePool>();
        Next(wizard);
        wizard.WaitForAssertion(() => Assert.Contains("Pool name is required.", wizard.Markup), Wait);
        Assert.Empty(wizard.FindAll("[data-testid='password-min']"));

        Input(wizard, "pool-name").Change("partners");
        wizard.FindAll("[data-testid='signin-mode'] input[type=radio]")[1].Click();
        Input(wizard, "signin-phone").Change(true);
        Input(wizard, "case-insensitive").Change(false);
        Next(wizard);

        wizard.WaitForElement("[data-testid='password-min']", Wait);
        Input(wizard, "password-min").Change("12");
        Next(wizard);

        wizard.WaitForElement("[data-testid='mfa']", Wait);
        wizard.FindAll("[data-testid='mfa'] input[type=radio]")[1].Click();
        wizard.WaitForElement("[data-testid='sms-role']", Wait);
        Input(wizard, "sms-role").Change("arn:aws:iam::000000000000:role/sms");
        Next(wizard);

        wizard.WaitForElement("[data-testid='required-given_name']", Wait);
        Input(wizard, "required-given_name").Change(true);
        Input(wizard, "self-signup").Change(false);
        Next(wizard);

        wizard.WaitForElement("[data-testid='invite-message']", Wait);
        Input(wizard, "invite-message").Change("Hello {username}");
        Next(wizard);
        wizard.WaitForAssertion(() => Assert.Contains("Must contain {username} and {####}", wizard.Markup), Wait);
        Input(wizard, "invite-message").Change("Hello {username}, your code is {####}");
        Next(wizard);

        wizard.WaitForElement("[data-testid='wizard-create']", Wait);
        Assert.Contains("email or phone_number as username", wizard.Find("[data-testid='pool-summary']").TextContent);
        Button(wizard, "wizard-create").Click();

        wizard.WaitForAssertion(() => Assert.Single(Cognito.Requests<CreateUserPoolRequest>()), Wait);
        var sent = Cognito.Requests<CreateUserPoolRequest>().Single();
        Assert.Equal("partners", sent.PoolName);
        Assert.Equal(["email", "phone_number"], sent.UsernameAttributes);
        Assert.Null(sent.AliasAttributes);
        Assert.True(sent.UsernameConfiguration!.CaseSensitive);
        Assert.Equal(12, sent.Policies!.PasswordPolicy!.MinimumLength);
        Assert.True(sent.Policies.PasswordPolicy.RequireSymbols);
        Assert.Equal("OPTIONAL", sent.MfaConfiguration);
        Assert.Equal("arn:aws:iam::000000000000:role/sms", sent.SmsConfiguration!.SnsCallerArn);
        Assert.Equal(["email"], sent.AutoVerifiedAttributes);
        Assert.Equal(["email", "given_name"], sent.Schema!.Select(s => s.Name));
        Assert.All(sent.Schema!, s => Assert.True(s.Required));
        Assert.True(sent.AdminCreateUserConfig!.AllowAdminCreateUserOnly);
        Assert.Equal("Hello {username}, your code is {####}", sent.AdminCreateUserConfig.InviteMessageTemplate!.EmailMessage);
        Assert.Equal("INACTIVE", sent.DeletionProtection);
        var created = Cognito.Responses<CreateUserPoolResponse>().Single().UserPool!.Id!;
        Assert.Matches(@"^us-east-1_[0-9A-Za-z]{9}$", created);
        Assert.EndsWith($"pools/{created}", Nav.Uri);
        Assert.Contains("Pool partners created.", Snackbars);
    }

    [Fact]
    public void Wizard_shows_an_engine_error_at_the_create_button_and_on_the_step_it_is_about()
    {
        var wizard = Ctx.Render<CreatePool>();
        Input(wizard, "pool-name").Change("mfa-pool");
        Next(wizard);
        wizard.WaitForElement("[data-testid='password-min']", Wait);
        Next(wizard);
        wizard.WaitForElement("[data-testid='mfa']", Wait);
        wizard.FindAll("[data-testid='mfa'] input[type=radio]")[2].Click();
        for (var i = 0; i < 3; i++) Next(wizard);
        wizard.WaitForElement("[data-testid='wizard-create']", Wait);
        Button(wizard, "wizard-create").Click();
        wizard.WaitForAssertion(() => Assert.Contains(
            "SMS configuration and Auto verification for phone_number are required when MFA is required/optional (InvalidParameterException)",
            wizard.Find("[data-testid='create-pool-error']").TextContent), Wait);
        // Nothing was created, and the wizard stays where the operator can fix it.
        Assert.DoesNotContain("pools/us-east-1", Nav.Uri);
        Button(wizard, "wizard-back").Click();
        Button(wizard, "wizard-back").Click();
        Button(wizard, "wizard-back").Click();
        wizard.WaitForAssertion(() => Assert.Contains("required when MFA", wizard.Find("[data-testid='sms-role']").Closest(".mud-input-control")!.TextContent), Wait);
    }

    IRenderedComponent<PoolDetail> RenderDetail(out string pool, Func<UserPoolType, UserPoolType>? configure = null)
    {
        pool = Cognito.AddPool("billing", configure);
        var id = pool;
        var page = Ctx.Render<PoolDetail>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid='pool-tabs']", Wait);
        return page;
    }

    [Fact]
    public void Settings_are_saved_with_the_whole_pool_and_a_result_message()
    {
        var page = RenderDetail(out var pool, p => p with
        {
            LambdaConfig = new LambdaConfigType { PreSignUp = "arn:aws:lambda:us-east-1:000000000000:function:pre" },
            AdminCreateUserConfig = new AdminCreateUserConfigType { AllowAdminCreateUserOnly = false, UnusedAccountValidityDays = 7 },
        });
        Input(page, "settings-min-length").Change("10");
        Input(page, "settings-self-signup").Change(false);
        Input(page, "settings-name").Change("billing-eu");
        Button(page, "settings-save").Click();
        page.WaitForAssertion(() => Assert.Equal("Settings saved.", page.Find("[data-testid='settings-result']").TextContent.Trim()), Wait);
        var sent = Cognito.Requests<UpdateUserPoolRequest>().Single();
        Assert.Equal(("billing-eu", 10, true), (sent.PoolName, sent.Policies!.PasswordPolicy!.MinimumLength, sent.AdminCreateUserConfig!.AllowAdminCreateUserOnly));
        // What the form does not show is sent back unchanged, so UpdateUserPool does not reset it.
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:pre", sent.LambdaConfig!.PreSignUp);
        Assert.Null(sent.AdminCreateUserConfig.UnusedAccountValidityDays);
        Assert.Equal("billing-eu", Cognito.PoolSettings(pool).Name);
    }

    [Fact]
    public void A_refused_setting_is_shown_next_to_save_and_next_to_its_field()
    {
        var page = RenderDetail(out _);
        Input(page, "settings-reply-to").Change("not-an-address");
        Button(page, "settings-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Not saved: 1 validation error detected", page.Find("[data-testid='settings-result']").TextContent), Wait);
        Assert.Contains("emailConfiguration.replyToEmailAddress", page.Find("[data-testid='settings-reply-to']").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void Deleting_a_pool_needs_its_name_typed_and_respects_deletion_protection()
    {
        var page = RenderDetail(out var pool, p => p with { DeletionProtection = "ACTIVE" });
        Tab(page, "Deletion");
        page.WaitForElement("[data-testid='pool-delete']", Wait);
        Assert.True(Button(page, "pool-delete").HasAttribute("disabled"));

        Input(page, "protection").Change(false);
        page.WaitForAssertion(() => Assert.Equal("INACTIVE", Cognito.PoolSettings(pool).DeletionProtection), Wait);
        page.WaitForAssertion(() => Assert.False(Button(page, "pool-delete").HasAttribute("disabled")), Wait);

        Button(page, "pool-delete").Click();
        Dialogs.WaitForElement("[data-testid='confirm-ok']", Wait);
        Assert.True(Button(Dialogs, "confirm-ok").HasAttribute("disabled"));
        Input(Dialogs, "confirm-type").Input("billin");
        Assert.True(Button(Dialogs, "confirm-ok").HasAttribute("disabled"));
        Input(Dialogs, "confirm-type").Input("billing");
        Dialogs.WaitForAssertion(() => Assert.False(Button(Dialogs, "confirm-ok").HasAttribute("disabled")), Wait);
        Button(Dialogs, "confirm-ok").Click();
        page.WaitForAssertion(() => Assert.False(Cognito.HasPool(pool)), Wait);
        Assert.EndsWith("/pools", Nav.Uri);
    }

    [Fact]
    public void Custom_attributes_and_domain_are_added_with_errors_next_to_their_fields()
    {
        var page = RenderDetail(out var pool);
        Tab(page, "Custom attributes");
        page.WaitForElement("[data-testid='custom-add']", Wait);
        Input(page, "custom-name").Change("tenant");
        Button(page, "custom-add").Click();
        page.WaitForAssertion(() => Assert.Contains("custom:tenant", page.Find("[data-testid='schema']").TextContent), Wait);
        Assert.Equal("tenant", Cognito.Requests<AddCustomAttributesRequest>().Single().CustomAttributes![0].Name);

        Input(page, "custom-name").Change("tenant");
        Button(page, "custom-add").Click();
        page.WaitForAssertion(() => Assert.Contains("Existing attribute already has name custom:tenant.",
            page.Find("[data-testid='custom-name']").Closest(".mud-input-control")!.TextContent), Wait);

        Tab(page, "Domain");
        page.WaitForElement("[data-testid='domain-create']", Wait);
        Input(page, "domain-input").Change("Bad_Domain");
        Button(page, "domain-create").Click();
        page.WaitForAssertion(() => Assert.Contains("Value 'Bad_Domain' at 'domain' failed to satisfy constraint", page.Find("[data-testid='domain-input']").Closest(".mud-input-control")!.TextContent), Wait);
        // A domain belongs to one pool of the engine: this test's is its own.
        var domain = PortalServer.Unique("billing-login");
        Input(page, "domain-input").Change(domain);
        Button(page, "domain-create").Click();
        page.WaitForAssertion(() => Assert.Equal(domain, page.Find("[data-testid='domain-current']").TextContent), Wait);

        Button(page, "domain-delete").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Null(Cognito.PoolSettings(pool).Domain), Wait);
    }
}

public sealed class PortalHelpersTests
{
    [Fact]
    public void Token_pages_remember_the_tokens_of_earlier_pages()
    {
        var pages = new TokenPages();
        Assert.Null(pages.Current);
        pages.Loaded("t1");
        Assert.True(pages.Next());
        Assert.Equal("t1", pages.Current);
        pages.Loaded("t2");
        Assert.True(pages.Next());
        pages.Loaded(null);
        Assert.False(pages.HasNext);
        Assert.True(pages.Previous());
        Assert.Equal("t1", pages.Current);
        pages.Reset();
        Assert.Equal((0, (string?)null, false), (pages.Index, pages.Current, pages.HasPrevious));
    }

    [Fact]
    public void Errors_are_matched_to_the_field_they_name()
    {
        var validation = new InvalidParameterException("1 validation error detected: Value at 'groupName' failed to satisfy constraint", "groupName");
        Assert.Equal("GroupName", CognitoErrors.FieldOf(validation, ["Description", "GroupName"]));
        var schema = InvalidParameterException.Schema("email_verified", "Value must be true or false.");
        Assert.Equal("email_verified", CognitoErrors.FieldOf(schema, ["email", "email_verified"]));
        Assert.Equal("ReplyToEmailAddress", CognitoErrors.FieldOf(
            new InvalidParameterException("1 validation error detected", "emailConfiguration.replyToEmailAddress"), ["From", "ReplyToEmailAddress"]));
        Assert.Null(CognitoErrors.FieldOf(new InvalidParameterException("custom:email is read-only"), ["email"]));
        // The member decides, never the wording: a message that names a field but no member is no field's error.
        Assert.Null(CognitoErrors.FieldOf(new InvalidParameterException("Value at 'groupName' failed to satisfy constraint"), ["GroupName"]));
        Assert.Equal("User does not exist. (UserNotFoundException)", CognitoErrors.Describe(new UserNotFoundException("User does not exist.")));
    }
}
