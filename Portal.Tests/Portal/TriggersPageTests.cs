using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;

namespace Portal.Tests.Portal;

/// <summary>The trigger configuration page against the engine, which keeps the pool's trigger functions; a test run's
/// outcome is answered by the test where it is about showing a run.</summary>
public sealed class TriggersPageTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<Triggers> Open(string trigger, OperatorAccess? access = null)
    {
        pool = pool.Length > 0 ? pool : Cognito.AddPool("shop");
        Nav.NavigateTo($"triggers?pool={pool}&trigger={trigger}");
        var page = access is null ? Ctx.Render<Triggers>() : Ctx.Render<Triggers>(p => p.AddCascadingValue(access));
        page.WaitForElement("[data-testid='trigger-editor']", Wait);
        return page;
    }

    void Kind(IRenderedComponent<Triggers> page, string kind) =>
        page.Find($"input[data-testid='kind-{kind}']").Click();

    [Fact]
    public void A_webhook_needs_its_url_and_a_lambda_target_a_real_arn()
    {
        var page = Open("PreSignUp");
        Kind(page, "WEBHOOK");
        page.WaitForElement("[data-testid='trigger-url']", Wait);
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Contains("A webhook needs the URL the event is posted to.", page.Markup), Wait);
        Input(page, "trigger-url").Input("ftp://files.example.com");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Enter an absolute https:// URL", page.Markup), Wait);
        Input(page, "trigger-url").Input("https://hooks.example.com/cognito");
        Input(page, "trigger-secret").Input("short");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Contains("The signing secret must be 16 to 256 characters.", page.Markup), Wait);

        Kind(page, "LAMBDA");
        page.WaitForElement("[data-testid='trigger-function-arn']", Wait);
        Input(page, "trigger-function-arn").Input("my-function");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Not an ARN: expected arn:aws:lambda:REGION:ACCOUNT:function:NAME.", page.Markup), Wait);
        Assert.Empty(Cognito.Requests<PutTriggerFunctionRequest>());
    }

    [Fact]
    public void Saving_inline_code_sends_PutTriggerFunction_with_the_code_and_the_event_version()
    {
        var page = Open("PreTokenGeneration");
        Kind(page, "INLINE");
        page.WaitForElement("[data-testid='code-plain']", Wait);
        Input(page, "code-plain").Change(true);
        // A new inline function starts from the trigger's template.
        page.WaitForAssertion(() => Assert.Contains("claimsToAddOrOverride", Input(page, "code-text").GetAttribute("value") ?? Input(page, "code-text").TextContent), Wait);
        Choose(page, "trigger-version", "V2_0");
        const string code = "exports.handler = async (event) => { event.response = { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { tier: 'gold' } } } }; return event; };";
        Input(page, "code-text").Input(code);
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<PutTriggerFunctionRequest>()), Wait);
        var sent = Cognito.Requests<PutTriggerFunctionRequest>()[0];
        Assert.Equal(pool, sent.UserPoolId);
        Assert.Equal("PreTokenGeneration", sent.Trigger);
        Assert.Equal(TriggerTargetKinds.Inline, sent.Kind);
        Assert.Equal(code, sent.Code);
        Assert.Equal("V2_0", sent.LambdaVersion);
        Assert.Null(sent.Url);
        Assert.Null(sent.FunctionArn);
        page.WaitForAssertion(() => Assert.Contains("PreTokenGeneration saved: Inline JavaScript.", Snackbars), Wait);
    }

    [Fact]
    public void Saving_a_webhook_sends_its_url_and_secret_and_a_lambda_its_arn()
    {
        var page = Open("CustomMessage");
        Kind(page, "WEBHOOK");
        page.WaitForElement("[data-testid='trigger-url']", Wait);
        Input(page, "trigger-url").Input("https://hooks.example.com/cognito");
        Input(page, "trigger-secret").Input("a-signing-secret-of-32-characters");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<PutTriggerFunctionRequest>()), Wait);
        var webhook = Cognito.Requests<PutTriggerFunctionRequest>()[0];
        Assert.Equal((TriggerTargetKinds.Webhook, "https://hooks.example.com/cognito", "a-signing-secret-of-32-characters"), (webhook.Kind, webhook.Url, webhook.Secret));
        Assert.Null(webhook.Code);
        Assert.Null(webhook.LambdaVersion);

        page.WaitForElement("input[data-testid='kind-LAMBDA']", Wait);
        Kind(page, "LAMBDA");
        page.WaitForElement("[data-testid='trigger-function-arn']", Wait);
        Input(page, "trigger-function-arn").Input("arn:aws:lambda:eu-west-1:123456789012:function:custom-message");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Equal(2, Cognito.Requests<PutTriggerFunctionRequest>().Count), Wait);
        var lambda = Cognito.Requests<PutTriggerFunctionRequest>()[1];
        Assert.Equal((TriggerTargetKinds.Lambda, "arn:aws:lambda:eu-west-1:123456789012:function:custom-message"), (lambda.Kind, lambda.FunctionArn));
        Assert.Null(lambda.Url);
        Assert.Null(lambda.Secret);
    }

    [Fact]
    public void Remove_asks_for_confirmation_before_DeleteTriggerFunction()
    {
        pool = Cognito.AddPool("shop");
        Cognito.Setup(new PutTriggerFunctionRequest
        {
            UserPoolId = pool, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Webhook, Url = "https://hooks.example.com/welcome",
            Secret = "a-signing-secret-of-32-characters",
        });
        var page = Open("PostConfirmation");
        page.WaitForAssertion(() => Assert.Contains("HTTPS webhook", page.Find("[data-testid='trigger-state']").TextContent), Wait);
        Assert.Contains("A secret is stored: leave blank to keep it.", page.Markup);
        Assert.Contains("HTTPS webhook", page.Find("[data-testid='trigger-PostConfirmation']").TextContent);

        Button(page, "trigger-remove").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("Remove PostConfirmation?", Dialogs.Markup), Wait);
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<DeleteTriggerFunctionRequest>());

        Button(page, "trigger-remove").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<DeleteTriggerFunctionRequest>()), Wait);
        Assert.Equal((pool, "PostConfirmation"), (Cognito.Requests<DeleteTriggerFunctionRequest>()[0].UserPoolId, Cognito.Requests<DeleteTriggerFunctionRequest>()[0].Trigger));
        page.WaitForAssertion(() => Assert.Contains("Not configured", page.Find("[data-testid='trigger-PostConfirmation']").TextContent), Wait);
        Assert.Contains("PostConfirmation removed.", Snackbars);
    }

    [Fact]
    public void Test_runs_the_unsaved_draft_against_a_sample_event_and_shows_the_run()
    {
        Cognito.Answer = r => r is TestTriggerRequest t ? new TestTriggerResponse
        {
            Run = new TriggerRunType
            {
                Outcome = "Succeeded", DurationMs = 12.5, Event = $"{{\"triggerSource\":\"{t.TriggerSource}\",\"request\":{{}}}}",
                Response = "{\"claimsOverrideDetails\":{\"claimsToAddOrOverride\":{\"department\":\"engineering\"}}}", Logs = "hello from the draft",
            },
        } : null;
        var page = Open("PreTokenGeneration");
        Kind(page, "INLINE");
        page.WaitForElement("[data-testid='trigger-test']", Wait);
        Choose(page, "trigger-source", "TokenGeneration_RefreshTokens");
        Button(page, "trigger-test").Click();
        page.WaitForElement("[data-testid='test-run']", Wait);
        var sent = Cognito.Requests<TestTriggerRequest>().Single();
        Assert.Equal((pool, "PreTokenGeneration", "TokenGeneration_RefreshTokens"), (sent.UserPoolId, sent.Trigger, sent.TriggerSource));
        Assert.Contains("claimsToAddOrOverride", sent.Code);
        Assert.Empty(Cognito.Requests<PutTriggerFunctionRequest>());
        var run = page.Find("[data-testid='test-run']").TextContent;
        Assert.Contains("Succeeded", run);
        Assert.Contains("12.5 ms", run);
        Assert.Contains("\"department\": \"engineering\"", page.Find("[data-testid='test-run-response']").TextContent);
        Assert.Contains("hello from the draft", page.Find("[data-testid='test-run-logs']").TextContent);
        Assert.Contains("TokenGeneration_RefreshTokens", page.Find("[data-testid='test-run-event']").TextContent);
    }

    [Fact]
    public void A_failed_test_run_shows_the_handler_error()
    {
        Cognito.Answer = r => r is TestTriggerRequest ? new TestTriggerResponse
        {
            Run = new TriggerRunType { Outcome = "Failed", Error = "ReferenceError: claims is not defined", Logs = "", DurationMs = 3 },
        } : null;
        var page = Open("PreSignUp");
        Kind(page, "INLINE");
        Button(page, "trigger-test").Click();
        page.WaitForAssertion(() => Assert.Contains("ReferenceError: claims is not defined", page.Find("[data-testid='run-error']").TextContent), Wait);
        Assert.Contains("Failed", page.Find("[data-testid='test-run'] [data-testid='outcome']").TextContent);
    }

    [Fact]
    public void Engine_errors_are_shown_next_to_what_caused_them()
    {
        Cognito.Fail = r => r switch
        {
            PutTriggerFunctionRequest { Kind: TriggerTargetKinds.Inline } => new InvalidParameterException("Code does not compile: SyntaxError: Unexpected token '}' (line 3)", "code"),
            PutTriggerFunctionRequest => new LimitExceededException("Too many webhooks for this pool."),
            TestTriggerRequest => new InvalidParameterException("Code does not compile: SyntaxError: Unexpected token '}' (line 3)", "code"),
            _ => null,
        };
        var page = Open("PreSignUp");
        Kind(page, "INLINE");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Code does not compile: SyntaxError: Unexpected token '}' (line 3) (InvalidParameterException)",
            page.Find("[data-testid='code-error']").TextContent), Wait);
        Button(page, "trigger-test").Click();
        page.WaitForAssertion(() => Assert.Contains("The test did not run: Code does not compile", page.Find("[data-testid='test-error']").TextContent), Wait);

        Kind(page, "WEBHOOK");
        page.WaitForElement("[data-testid='trigger-url']", Wait);
        Input(page, "trigger-url").Input("https://hooks.example.com/cognito");
        Button(page, "trigger-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Could not save PreSignUp: Too many webhooks for this pool. (LimitExceededException)",
            page.Find("[data-testid='trigger-error']").TextContent), Wait);
    }

    [Fact]
    public void A_lambda_named_only_in_the_pool_LambdaConfig_shows_as_configured()
    {
        const string arn = "arn:aws:lambda:us-east-1:123456789012:function:migrate-users";
        pool = Cognito.AddPool("legacy", p => p with { LambdaConfig = new LambdaConfigType { UserMigration = arn } });
        var page = Open("UserMigration");
        page.WaitForAssertion(() => Assert.Contains("AWS Lambda", page.Find("[data-testid='trigger-UserMigration']").TextContent), Wait);
        Assert.Contains(arn, page.Find("[data-testid='trigger-arn']").TextContent);
        Assert.Equal(arn, Input(page, "trigger-function-arn").GetAttribute("value"));
        Assert.Contains("Not configured", page.Find("[data-testid='trigger-PreSignUp']").TextContent);
    }

    [Fact]
    public void Choosing_another_trigger_opens_its_editor()
    {
        var page = Open("PreSignUp");
        page.Find("[data-testid='trigger-PreAuthentication']").Click();
        page.WaitForAssertion(() => Assert.Equal("PreAuthentication", page.Find("[data-testid='trigger-title']").TextContent.Trim()), Wait);
        Assert.Contains("trigger=PreAuthentication", Nav.Uri);
    }

    [Fact]
    public void Viewers_and_operators_read_the_configuration_without_actions()
    {
        pool = Cognito.AddPool("shop");
        Cognito.Setup(new PutTriggerFunctionRequest { UserPoolId = pool, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline, Code = "exports.handler = async e => e;" });
        foreach (var role in new[] { OperatorRoles.Viewer, OperatorRoles.Operator })
        {
            var page = Open("PreSignUp", new OperatorAccess(role));
            page.WaitForElement("[data-testid='read-only']", Wait);
            Assert.Empty(page.FindAll("[data-testid='trigger-save']"));
            Assert.Empty(page.FindAll("[data-testid='trigger-remove']"));
            Assert.Empty(page.FindAll("[data-testid='trigger-test']"));
            Assert.True(page.Find("input[data-testid='kind-WEBHOOK']").HasAttribute("disabled"));
        }
    }

    [Fact]
    public void A_refused_list_is_reported()
    {
        Cognito.Fail = r => r is ListTriggerFunctionsRequest ? new NotAuthorizedException("The operator may not do this.") : null;
        pool = Cognito.AddPool("shop");
        Nav.NavigateTo($"triggers?pool={pool}");
        var page = Ctx.Render<Triggers>();
        page.WaitForAssertion(() => Assert.Contains($"Could not read the triggers of {pool}: The operator may not do this. (NotAuthorizedException)",
            page.Find("[data-testid='triggers-error']").TextContent), Wait);
    }
}
