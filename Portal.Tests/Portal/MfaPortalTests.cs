using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;

namespace Portal.Tests.Portal;

/// <summary>MFA in the portal: a pool's mode and factors on its MFA tab (GetUserPoolMfaConfig, SetUserPoolMfaConfig),
/// a user's factors on their page and turning them off (AdminSetUserMFAPreference).</summary>
public sealed class MfaPortalTests : PortalPageTest
{
    static readonly OperatorAccess Viewer = new(OperatorRoles.Viewer);
    static readonly OperatorAccess OperatorRole = new(OperatorRoles.Operator);

    static readonly string[] Modes = ["OFF", "OPTIONAL", "ON"];

    IRenderedComponent<PoolDetail> RenderMfaTab(out string pool, Func<UserPoolType, UserPoolType>? configure = null,
        SetUserPoolMfaConfigRequest? mfa = null, OperatorAccess? access = null)
    {
        pool = Cognito.AddPool("billing", configure);
        if (mfa is not null) Cognito.SetPoolMfa(mfa with { UserPoolId = pool });
        var id = pool;
        var page = Ctx.Render<PoolDetail>(p =>
        {
            p.Add(x => x.Id, id);
            if (access is not null) p.AddCascadingValue(access);
        });
        page.WaitForElement("[data-testid='pool-tabs']", Wait);
        Tab(page, "MFA");
        page.WaitForElement("[data-testid='mfa-settings']", Wait);
        return page;
    }

    static IElement ModeRadio(IRenderedComponent<PoolDetail> page, string mode) =>
        page.FindAll("[data-testid='mfa-mode'] input[type=radio]")[Array.IndexOf(Modes, mode)];

    static string? CheckedMode(IRenderedComponent<PoolDetail> page) =>
        Modes.Cast<string?>().FirstOrDefault(m => ModeRadio(page, m!).HasAttribute("checked"));

    static bool IsOn(IRenderedComponent<PoolDetail> page, string testId) => Input(page, testId).HasAttribute("checked");

    static string FieldText(IRenderedComponent<PoolDetail> page, string testId) =>
        page.Find($"[data-testid='{testId}']").Closest(".mud-input-control")!.TextContent;

    [Fact]
    public void The_mfa_tab_shows_the_default_config_off_with_every_factor_off()
    {
        var page = RenderMfaTab(out var pool);
        Assert.Equal(pool, Cognito.Requests<GetUserPoolMfaConfigRequest>().Single().UserPoolId);
        Assert.Equal("OFF", CheckedMode(page));
        Assert.False(IsOn(page, "mfa-totp"));
        Assert.False(IsOn(page, "mfa-sms"));
        Assert.False(IsOn(page, "mfa-email"));
        Assert.Empty(page.FindAll("[data-testid='mfa-sms-message']"));
        Assert.Empty(page.FindAll("[data-testid='mfa-email-subject']"));
    }

    [Fact]
    public void The_mfa_tab_shows_the_pools_mode_and_each_factor_with_its_messages()
    {
        var page = RenderMfaTab(out _, p => p with { SmsConfiguration = new() { SnsCallerArn = "arn:aws:iam::000000000000:role/sms" } },
            new SetUserPoolMfaConfigRequest
            {
                MfaConfiguration = "OPTIONAL",
                SoftwareTokenMfaConfiguration = new() { Enabled = true },
                SmsMfaConfiguration = new() { SmsAuthenticationMessage = "Billing code {####}" },
                EmailMfaConfiguration = new() { Subject = "Billing sign-in", Message = "Your billing code is {####}" },
            });
        Assert.Equal("OPTIONAL", CheckedMode(page));
        Assert.True(IsOn(page, "mfa-totp"));
        Assert.True(IsOn(page, "mfa-sms"));
        Assert.True(IsOn(page, "mfa-email"));
        Assert.Equal("Billing code {####}", Input(page, "mfa-sms-message").GetAttribute("value"));
        Assert.Contains("arn:aws:iam::000000000000:role/sms", page.Find("[data-testid='mfa-sms-sender']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='mfa-sns-arn']"));
        Assert.Equal("Billing sign-in", Input(page, "mfa-email-subject").GetAttribute("value"));
        Assert.Equal("Your billing code is {####}", Input(page, "mfa-email-message").TextContent);
        Tab(page, "Settings");
        page.WaitForAssertion(() => Assert.Contains("Multi-factor authentication is optional", page.Find("[data-testid='settings-mfa']").TextContent), Wait);
    }

    [Fact]
    public async Task Saving_required_with_authenticator_apps_sends_every_factor_and_keeps_the_mode_through_a_settings_save()
    {
        var page = RenderMfaTab(out var pool);
        await page.InvokeAsync(() => ModeRadio(page, "ON").Click());
        await page.InvokeAsync(() => Input(page, "mfa-totp").Change(true));
        await page.InvokeAsync(() => Button(page, "mfa-save").Click());
        page.WaitForAssertion(() => Assert.Equal("MFA settings saved.", page.Find("[data-testid='mfa-result']").TextContent.Trim()), Wait);

        var sent = Cognito.Requests<SetUserPoolMfaConfigRequest>().Single();
        Assert.Equal(pool, sent.UserPoolId);
        Assert.Equal("ON", sent.MfaConfiguration);
        Assert.True(sent.SoftwareTokenMfaConfiguration!.Enabled);
        Assert.Null(sent.SmsMfaConfiguration);
        Assert.Null(sent.EmailMfaConfiguration);
        Assert.Equal("ON", Cognito.PoolSettings(pool).MfaConfiguration);
        Assert.Contains("MFA settings saved.", Snackbars);
        // The form shows what the pool has now.
        Assert.Equal("ON", CheckedMode(page));
        Assert.True(IsOn(page, "mfa-totp"));

        // The settings tab no longer sets MFA: its save sends the mode the MFA tab saved, not the one the page loaded with.
        Tab(page, "Settings");
        page.WaitForAssertion(() => Assert.Contains("Multi-factor authentication is required", page.Find("[data-testid='settings-mfa']").TextContent), Wait);
        await page.InvokeAsync(() => Button(page, "settings-save").Click());
        page.WaitForAssertion(() => Assert.Equal("Settings saved.", page.Find("[data-testid='settings-result']").TextContent.Trim()), Wait);
        Assert.Equal("ON", Cognito.Requests<UpdateUserPoolRequest>().Single().MfaConfiguration);
        Assert.Equal("ON", Cognito.PoolSettings(pool).MfaConfiguration);
    }

    [Fact]
    public async Task Sms_needs_the_code_in_its_message_and_a_role_when_the_pool_has_no_sms_configuration()
    {
        var page = RenderMfaTab(out var pool);
        await page.InvokeAsync(() => ModeRadio(page, "OPTIONAL").Click());
        await page.InvokeAsync(() => Input(page, "mfa-sms").Change(true));
        page.WaitForElement("[data-testid='mfa-sns-arn']", Wait);
        await page.InvokeAsync(() => Input(page, "mfa-sms-message").Change("Your code"));
        await page.InvokeAsync(() => Button(page, "mfa-save").Click());
        page.WaitForAssertion(() => Assert.Contains("Must contain {####}, the code.", FieldText(page, "mfa-sms-message")), Wait);
        Assert.Contains("Enter the ARN of the role that sends SMS.", FieldText(page, "mfa-sns-arn"));
        Assert.Equal("Not saved: fix the fields marked in red.", page.Find("[data-testid='mfa-result']").TextContent.Trim());
        Assert.Empty(Cognito.Requests<SetUserPoolMfaConfigRequest>());

        await page.InvokeAsync(() => Input(page, "mfa-sms-message").Change("Your code is {####}"));
        await page.InvokeAsync(() => Input(page, "mfa-sns-arn").Change("arn:aws:iam::000000000000:role/sms"));
        await page.InvokeAsync(() => Button(page, "mfa-save").Click());
        page.WaitForAssertion(() => Assert.Equal("MFA settings saved.", page.Find("[data-testid='mfa-result']").TextContent.Trim()), Wait);
        var sent = Cognito.Requests<SetUserPoolMfaConfigRequest>().Single();
        Assert.Equal(("OPTIONAL", "Your code is {####}", "arn:aws:iam::000000000000:role/sms"),
            (sent.MfaConfiguration, sent.SmsMfaConfiguration!.SmsAuthenticationMessage, sent.SmsMfaConfiguration.SmsConfiguration!.SnsCallerArn));
        Assert.False(sent.SoftwareTokenMfaConfiguration!.Enabled);
        Assert.Equal("arn:aws:iam::000000000000:role/sms", Cognito.PoolSettings(pool).SmsConfiguration!.SnsCallerArn);
        // The pool has an SMS configuration now: the form names it instead of asking for a role.
        page.WaitForAssertion(() => Assert.Contains("arn:aws:iam::000000000000:role/sms", page.Find("[data-testid='mfa-sms-sender']").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid='mfa-sns-arn']"));
    }

    [Fact]
    public async Task Email_mfa_is_sent_with_its_subject_and_message()
    {
        var page = RenderMfaTab(out _);
        await page.InvokeAsync(() => Input(page, "mfa-email").Change(true));
        page.WaitForElement("[data-testid='mfa-email-subject']", Wait);
        await page.InvokeAsync(() => Input(page, "mfa-email-subject").Change("Sign-in code"));
        await page.InvokeAsync(() => Input(page, "mfa-email-message").Change("Use {####} to sign in."));
        await page.InvokeAsync(() => Button(page, "mfa-save").Click());
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<SetUserPoolMfaConfigRequest>()), Wait);
        var sent = Cognito.Requests<SetUserPoolMfaConfigRequest>().Single();
        Assert.Equal(("OFF", "Sign-in code", "Use {####} to sign in."),
            (sent.MfaConfiguration, sent.EmailMfaConfiguration!.Subject, sent.EmailMfaConfiguration.Message));
    }

    [Fact]
    public async Task An_engine_error_is_shown_next_to_the_field_it_is_about()
    {
        var page = RenderMfaTab(out var pool);
        await page.InvokeAsync(() => ModeRadio(page, "ON").Click());
        await page.InvokeAsync(() => Button(page, "mfa-save").Click());
        const string Refusal = "Invalid MFA configuration given, can't turn off all MFAs when MFA is required or optional. (InvalidParameterException)";
        page.WaitForAssertion(() => Assert.Contains(Refusal, FieldText(page, "mfa-mode")), Wait);
        Assert.Equal($"Not saved: {Refusal}", page.Find("[data-testid='mfa-result']").TextContent.Trim());
        Assert.Equal("OFF", Cognito.PoolSettings(pool).MfaConfiguration);

        // A validation error names the request member: it goes to that field.
        Cognito.Fail = r => r is SetUserPoolMfaConfigRequest
            ? new InvalidParameterException("1 validation error detected: Value at 'emailMfaConfiguration.subject' failed to satisfy constraint: Member must have length between 1 and 140", "emailMfaConfiguration.subject")
            : null;
        await page.InvokeAsync(() => Input(page, "mfa-email").Change(true));
        page.WaitForElement("[data-testid='mfa-email-subject']", Wait);
        await page.InvokeAsync(() => Button(page, "mfa-save").Click());
        page.WaitForAssertion(() => Assert.Contains("emailMfaConfiguration.subject", FieldText(page, "mfa-email-subject")), Wait);
        Assert.DoesNotContain("InvalidParameterException", FieldText(page, "mfa-mode"));
    }

    [Fact]
    public void Viewers_and_operators_see_the_mfa_settings_but_cannot_save_them()
    {
        foreach (var access in new[] { Viewer, OperatorRole })
        {
            var page = RenderMfaTab(out _, mfa: new SetUserPoolMfaConfigRequest { MfaConfiguration = "ON", SoftwareTokenMfaConfiguration = new() { Enabled = true } },
                access: access);
            Assert.Equal("ON", CheckedMode(page));
            Assert.True(IsOn(page, "mfa-totp"));
            Assert.Empty(page.FindAll("[data-testid='mfa-save']"));
            Assert.True(page.Find("[data-testid='mfa-settings']").HasAttribute("disabled"));
            Assert.All(page.FindAll("[data-testid='mfa-settings'] input"), i => Assert.True(i.HasAttribute("disabled") || i.Closest("fieldset[disabled]") is not null));
        }
        Assert.Empty(Cognito.Requests<SetUserPoolMfaConfigRequest>());
    }

    // ---- the user page ----

    string userPool = "";

    IRenderedComponent<UserDetail> RenderUser(string[] factors, string? preferred = null, OperatorAccess? access = null, string poolMfa = "OFF")
    {
        userPool = Cognito.AddPool("staff");
        // The pool offers every factor (in the mode asked for), so the engine lets the user turn on any of them; SMS codes go
        // to the user's phone number, email codes to the email.
        Cognito.SetPoolMfa(new()
        {
            UserPoolId = userPool, MfaConfiguration = poolMfa, SoftwareTokenMfaConfiguration = new() { Enabled = true },
            SmsMfaConfiguration = new() { SmsConfiguration = new() { SnsCallerArn = "arn:aws:iam::000000000000:role/sms" } },
            EmailMfaConfiguration = new() { Subject = "Sign-in code", Message = "Your code is {####}" },
        });
        Cognito.AddUser(userPool, "dora", ("email", "dora@example.com"), ("phone_number", "+15555550100"));
        Cognito.SetUserMfa(userPool, "dora", factors, preferred);
        Nav.NavigateTo($"users/{userPool}/dora");
        var page = Ctx.Render<UserDetail>(p =>
        {
            p.Add(x => x.Pool, userPool).Add(x => x.Username, "dora");
            if (access is not null) p.AddCascadingValue(access);
        });
        page.WaitForElement("[data-testid='attributes']", Wait);
        return page;
    }

    [Fact]
    public void The_user_page_shows_the_users_factors_and_the_preferred_one()
    {
        var page = RenderUser(["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"], preferred: "SOFTWARE_TOKEN_MFA");
        Assert.Equal("MFA: Authenticator app (preferred), SMS, Email", page.Find("[data-testid='user-mfa']").TextContent.Trim());
        Assert.False(Button(page, "action-mfa-off").HasAttribute("disabled"));
    }

    [Fact]
    public void A_user_without_mfa_shows_no_mfa_and_nothing_to_turn_off()
    {
        var page = RenderUser([]);
        Assert.Equal("No MFA", page.Find("[data-testid='user-mfa']").TextContent.Trim());
        Assert.True(Button(page, "action-mfa-off").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Where_the_pool_does_not_require_mfa_the_question_says_the_user_signs_in_with_the_password_alone()
    {
        var page = RenderUser(["EMAIL_OTP"]);
        await page.InvokeAsync(() => Button(page, "action-mfa-off").Click());
        Dialogs.WaitForElement("[data-testid='confirm-message']", Wait);
        Assert.Equal("Turn off MFA for dora (Email)? They sign in with their password alone until they turn a factor on again.",
            Dialogs.Find("[data-testid='confirm-message']").TextContent.Trim());
        AnswerDialog(confirm: false);
    }

    [Fact]
    public async Task Turning_off_mfa_asks_first_then_turns_every_factor_off_and_refreshes()
    {
        var page = RenderUser(["SOFTWARE_TOKEN_MFA", "SMS_MFA"], preferred: "SMS_MFA", poolMfa: "ON");
        await page.InvokeAsync(() => Button(page, "action-mfa-off").Click());
        Dialogs.WaitForElement("[data-testid='confirm-message']", Wait);
        var question = Dialogs.Find("[data-testid='confirm-message']").TextContent;
        Assert.Contains("Turn off MFA for dora (Authenticator app, SMS)?", question);
        Assert.Contains("The pool requires MFA: they set up a factor again at their next sign-in.", question);
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<AdminSetUserMFAPreferenceRequest>());
        Assert.Equal(["SOFTWARE_TOKEN_MFA", "SMS_MFA"], Cognito.MfaOf(userPool, "dora"));

        await page.InvokeAsync(() => Button(page, "action-mfa-off").Click());
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Equal("No MFA", page.Find("[data-testid='user-mfa']").TextContent.Trim()), Wait);
        var sent = Cognito.Requests<AdminSetUserMFAPreferenceRequest>().Single();
        Assert.Equal((userPool, "dora"), (sent.UserPoolId, sent.Username));
        var off = new { Enabled = (bool?)false, PreferredMfa = (bool?)false };
        Assert.Equal(off, new { sent.SoftwareTokenMfaSettings!.Enabled, sent.SoftwareTokenMfaSettings.PreferredMfa });
        Assert.Equal(off, new { sent.SMSMfaSettings!.Enabled, sent.SMSMfaSettings.PreferredMfa });
        Assert.Equal(off, new { sent.EmailMfaSettings!.Enabled, sent.EmailMfaSettings.PreferredMfa });
        Assert.Empty(Cognito.MfaOf(userPool, "dora"));
        Assert.Contains("MFA is off for dora.", Snackbars);
        Assert.True(Button(page, "action-mfa-off").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_refused_turn_off_is_shown_with_the_actions()
    {
        var page = RenderUser(["EMAIL_OTP"], preferred: "EMAIL_OTP");
        Cognito.Fail = r => r is AdminSetUserMFAPreferenceRequest ? new NotAuthorizedException("User is disabled.") : null;
        await page.InvokeAsync(() => Button(page, "action-mfa-off").Click());
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("Turn off MFA failed: User is disabled. (NotAuthorizedException)",
            page.Find("[data-testid='action-error']").TextContent), Wait);
        Assert.Equal("MFA: Email (preferred)", page.Find("[data-testid='user-mfa']").TextContent.Trim());
    }

    [Fact]
    public void A_viewer_sees_the_users_mfa_but_no_turn_off_button()
    {
        var page = RenderUser(["SOFTWARE_TOKEN_MFA"], preferred: "SOFTWARE_TOKEN_MFA", access: Viewer);
        Assert.Equal("MFA: Authenticator app (preferred)", page.Find("[data-testid='user-mfa']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='action-mfa-off']"));
    }

    [Fact]
    public void An_operator_may_turn_off_a_users_mfa()
    {
        var page = RenderUser(["SMS_MFA"], access: OperatorRole);
        Assert.NotEmpty(page.FindAll("[data-testid='action-mfa-off']"));
    }
}
