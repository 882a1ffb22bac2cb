using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.HostedUi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>An operator writes a pre token generation trigger in the portal, a user signs in to an OIDC app through
/// the pool's hosted UI, the claim is in the app's ID token, and the invocation shows up in the live log.</summary>
[Collection(ServerCollection.Name)]
public sealed class TriggersE2eTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    const string Code = """
        exports.handler = async (event) => {
          console.log("pre token generation for " + event.userName);
          event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tier: "gold-" + event.request.userAttributes.email.split("@")[0] } } };
          return event;
        };
        """;

    static string Shot(string name) => Path.Combine(Browser.ScreenshotFolder, name);

    static async Task Until(Func<Task> act, ILocator shown)
    {
        for (var attempt = 0; ; attempt++)
        {
            await act();
            try
            {
                await Assertions.Expect(shown).ToBeVisibleAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
            }
        }
    }

    [Fact]
    public async Task Operator_writes_a_pre_token_generation_trigger_and_sees_the_claim_and_the_live_log()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var suffix = Guid.NewGuid().ToString("n")[..8];
        var pool = (await engine.Send(new CreateUserPoolRequest
        {
            PoolName = "triggers-" + suffix, UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", Required = true }],
        })).UserPool!.Id!;
        var domain = "triggers-" + suffix;
        await engine.Send(new CreateUserPoolDomainRequest { UserPoolId = pool, Domain = domain });
        var client = (await engine.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "sample-app", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["COGNITO"], CallbackURLs = ["http://localhost/placeholder"],
        })).UserPoolClient!;
        await using var app = await SampleOidcApp.Start($"{server.BaseUrl}/{pool}", client.ClientId!, null, $"{server.BaseUrl}/{domain}/logout");
        await engine.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = pool, ClientId = client.ClientId, ClientName = client.ClientName, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = [app.CallbackUrl], LogoutURLs = [app.SignedOutUrl],
        });
        var email = $"ada-{suffix}@example.com";
        await engine.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await engine.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = email, Password = "Correct-Horse-9", Permanent = true });

        // The operator writes the trigger in the Monaco editor and saves it.
        var portal = await browser.NewPage(1280, 720);
        // Monaco (editor.main.js, 3 MB) is loaded by the first code editor a page shows, not by every portal page.
        var monacoLoads = 0;
        portal.Request += (_, r) =>
        {
            if (r.Url.EndsWith("/vs/editor/editor.main.js", StringComparison.Ordinal)) Interlocked.Increment(ref monacoLoads);
        };
        await PortalSignIn.AsAdministrator(portal, server);
        await portal.GotoAsync($"{server.BaseUrl}/triggers?pool={pool}&trigger=PreTokenGeneration");
        await Assertions.Expect(portal.GetByTestId("trigger-title")).ToHaveTextAsync("PreTokenGeneration");
        Assert.Equal(0, Volatile.Read(ref monacoLoads));
        var editor = portal.Locator(".trigger-code-frame .monaco-editor").First;
        // The page is prerendered: a click before the circuit is up changes nothing, so click until the editor opens.
        await Until(() => portal.GetByRole(AriaRole.Radio, new() { Name = "Inline JavaScript" }).ClickAsync(), editor);
        Assert.Equal(1, Volatile.Read(ref monacoLoads));
        await Assertions.Expect(portal.Locator(".trigger-code-frame .view-lines")).ToContainTextAsync("claimsToAddOrOverride");
        await editor.ClickAsync();
        await portal.Keyboard.PressAsync("Control+A");
        await portal.Keyboard.PressAsync("Delete");
        await portal.Keyboard.InsertTextAsync(Code.Replace("gold-", "silver-"));
        // Monaco closes brackets and indents as it sees keys arrive, and on a loaded machine it may add a bracket the
        // code already has. The operator then changes the draft (silver to gold, made in one edit here, which also makes
        // the text exactly the code) and clicks Save at once: what is saved is what the editor shows, not what its last
        // change event had carried to the server by then.
        await Assertions.Expect(portal.Locator(".trigger-code-frame .view-lines")).ToContainTextAsync("silver-");
        await portal.EvaluateAsync("""
            code => {
              monaco.editor.getModels().find(m => m.getValue().includes('silver-')).setValue(code);
              document.querySelector("[data-testid='trigger-save']").click();
            }
            """, Code);
        await Assertions.Expect(portal.GetByText("PreTokenGeneration saved: Inline JavaScript.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(portal.GetByTestId("trigger-PreTokenGeneration")).ToContainTextAsync("Inline JavaScript");
        var stored = (await engine.Send(new ListTriggerFunctionsRequest { UserPoolId = pool })).TriggerFunctions!.Single();
        Assert.Equal(Normalize(Code), Normalize(stored.Code!));
        Assert.Equal(stored.FunctionArn, (await engine.Send(new DescribeUserPoolRequest { UserPoolId = pool })).UserPool!.LambdaConfig?.PreTokenGenerationConfig?.LambdaArn
                                        ?? (await engine.Send(new DescribeUserPoolRequest { UserPoolId = pool })).UserPool!.LambdaConfig?.PreTokenGeneration);

        // Test the saved code against a sample event.
        await portal.GetByTestId("trigger-test").ClickAsync();
        await Assertions.Expect(portal.GetByTestId("test-run")).ToContainTextAsync("Succeeded", new() { Timeout = 20_000 });
        await portal.EvaluateAsync("() => window.scrollTo(0, 0)");
        await portal.ScreenshotAsync(new() { Path = Shot("portal-triggers.png"), FullPage = true });
        await PortalAxeTests.Dark(portal);
        await portal.EvaluateAsync("() => window.scrollTo(0, 0)");
        await portal.ScreenshotAsync(new() { Path = Shot("portal-triggers-dark.png"), FullPage = true });
        await portal.GetByRole(AriaRole.Button, new() { Name = "Toggle dark theme" }).ClickAsync();

        // The live log is open while the user signs in.
        await portal.GetByTestId("nav-logs").ClickAsync();
        await portal.Reach(url => url.Contains("/triggers/logs"));
        await Until(() => portal.GetByLabel("Live tail").ClickAsync(), portal.GetByTestId("tail-status").GetByText("Live:"));

        var user = await browser.NewPage();
        await user.GotoAsync(app.BaseUrl + "/");
        Assert.StartsWith($"{server.BaseUrl}/{domain}/login", user.Url);
        await user.GetByLabel("Username or email").FillAsync(email);
        await user.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await user.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(user).ToHaveURLAsync(app.BaseUrl + "/", new() { Timeout = 30_000 });
        Assert.Contains($"tier=gold-ada-{suffix}", await user.Locator("#claims").InnerTextAsync());

        // The invocation appears on top of the live log without reloading; it opens with its event, response and logs.
        // Pools with email as username name users by their sub: the row is the hosted-UI token generation.
        var row = portal.Locator("[data-testid='invocations'] tbody tr").Filter(new() { HasText = "TokenGeneration_HostedAuth" });
        await Assertions.Expect(row.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(row.First).ToContainTextAsync("PreTokenGeneration");
        await Assertions.Expect(row.First).ToContainTextAsync("Succeeded");
        await portal.EvaluateAsync("() => window.scrollTo(0, 0)");
        await portal.ScreenshotAsync(new() { Path = Shot("portal-trigger-logs.png"), FullPage = true });
        await row.First.GetByTestId("invocation-link").ClickAsync();
        await Assertions.Expect(portal.GetByTestId("invocation-response")).ToContainTextAsync($"gold-ada-{suffix}");
        await Assertions.Expect(portal.GetByTestId("invocation-logs")).ToContainTextAsync($"pre token generation for");
        await Assertions.Expect(portal.GetByTestId("invocation-event")).ToContainTextAsync(email);
        await portal.GetByTestId("replay").ClickAsync();
        await Assertions.Expect(portal.GetByTestId("replay-run")).ToContainTextAsync($"gold-ada-{suffix}", new() { Timeout = 20_000 });
        await portal.EvaluateAsync("() => window.scrollTo(0, 0)");
        await portal.ScreenshotAsync(new() { Path = Shot("portal-trigger-invocation.png"), FullPage = true });

        // No serious or critical accessibility problem on the three pages.
        var problems = new List<string>();
        problems.AddRange(await Axe.SeriousViolations(portal));
        await portal.GotoAsync($"{server.BaseUrl}/triggers/logs?pool={pool}");
        await Assertions.Expect(row.First).ToBeVisibleAsync();
        problems.AddRange(await Axe.SeriousViolations(portal));
        await portal.GotoAsync($"{server.BaseUrl}/triggers?pool={pool}&trigger=PreTokenGeneration");
        await Assertions.Expect(portal.Locator(".trigger-code-frame .monaco-editor").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        problems.AddRange(await Axe.SeriousViolations(portal));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    static string Normalize(string code) => string.Concat(code.Where(c => !char.IsWhiteSpace(c)));
}
