using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>Branding with its live preview, the outbox and the dashboard chart in chromium against the real engine, with
/// screenshots (light and dark) for the documentation.</summary>
[Collection(ServerCollection.Name)]
public sealed class OperatorPagesScreenshotsTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    const string Password = "Passw0rd!-long";

    async Task<(string Pool, string Client)> Shop()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest { PoolName = "shop-" + Guid.NewGuid().ToString("n")[..6], AutoVerifiedAttributes = ["email"] })).UserPool!.Id!;
        await engine.Send(new CreateUserPoolDomainRequest { UserPoolId = pool, Domain = "shop-" + Guid.NewGuid().ToString("n")[..10] });
        var client = (await engine.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "web", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email"],
            SupportedIdentityProviders = ["COGNITO"], CallbackURLs = ["https://shop.example.com/callback"],
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        foreach (var name in new[] { "ada", "grace", "alan" })
        {
            var email = $"{name}@example.com";
            await engine.Send(new SignUpRequest { ClientId = client, Username = email, Password = Password, UserAttributes = [new() { Name = "email", Value = email }] });
            await engine.Send(new AdminConfirmSignUpRequest { UserPoolId = pool, Username = email });
            await engine.Send(new InitiateAuthRequest { ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Password } });
        }
        await engine.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "barbara", DesiredDeliveryMediums = ["EMAIL"],
            UserAttributes = [new() { Name = "email", Value = "barbara@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        return (pool, client);
    }

    static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea").First;

    [Fact]
    public async Task Branding_preview_follows_a_changed_colour_before_it_is_saved()
    {
        var (pool, _) = await Shop();
        var page = await browser.NewPage(1280, 900);
        await PortalSignIn.AsAdministrator(page, server);
        // Typing into the prerendered page, before its circuit is live, would be lost when the circuit loads the pool.
        await ScenarioPortal.Go(page, $"{server.BaseUrl}/branding?pool={pool}");
        await ScenarioPortal.Settled(page);
        var frame = page.GetByTestId("preview-frame");
        await Assertions.Expect(frame).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // The page has loaded the published branding and shown it: what the operator types now is not overwritten.
        await Assertions.Expect(page.GetByTestId("preview-status")).ToContainTextAsync("Preview of the draft", new() { Timeout = 20_000 });
        var first = await frame.GetAttributeAsync("src");

        // The colour picker, as an operator would use it (typing the #rrggbb text is covered by BrandingPageTests).
        await page.GetByTestId("theme-primary-picker").FillAsync("#c2185b");
        await Assertions.Expect(Field(page, "theme-primary")).ToHaveValueAsync("#c2185b", new() { Timeout = 10_000 });
        await Field(page, "theme-title").FillAsync("Shop sign-in");
        await Field(page, "css-editor").FillAsync(".banner-customizable {\n  background-color: #fce4ec;\n}\n.submitButton-customizable {\n  font-weight: bold;\n}");
        // CSS is edited in a monospace font (the font is on the textarea itself, not only on the field's wrapper).
        await Assertions.Expect(Field(page, "css-editor")).ToHaveCSSAsync("font-family", new System.Text.RegularExpressions.Regex("monospace"));
        await Assertions.Expect(frame).Not.ToHaveAttributeAsync("src", first!, new() { Timeout = 10_000 });
        var button = page.FrameLocator("[data-testid='preview-frame']").GetByRole(AriaRole.Button, new() { Name = "Sign in" });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await Assertions.Expect(button).ToHaveCSSAsync("background-color", "rgb(194, 24, 91)", new() { Timeout = 20_000 });
        // The app bar is fixed: a tall window instead of a full-page capture, which would paint it mid-page.
        await page.SetViewportSizeAsync(1280, 1700);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-branding.png") });

        // A refused property is named at its line, as the operator types.
        await Field(page, "css-editor").FillAsync(".banner-customizable {\n  background-color: #fce4ec;\n}\n.submitButton-customizable {\n  position: fixed;\n}");
        await Assertions.Expect(page.GetByTestId("css-problem-line-5")).ToContainTextAsync("Line 5", new() { Timeout = 10_000 });
        await page.SetViewportSizeAsync(768, 2400);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-branding-tablet.png") });
    }

    [Fact]
    public async Task Outbox_and_dashboard_show_the_pool_s_messages_and_activity()
    {
        var (pool, _) = await Shop();
        var page = await browser.NewPage(1280, 720);
        await PortalSignIn.AsAdministrator(page, server);

        await page.GotoAsync($"{server.BaseUrl}/outbox?pool={pool}");
        await Assertions.Expect(page.GetByText("barbara@example.com")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("outbox-body").First).ToContainTextAsync("••••••");
        Assert.DoesNotMatch(@"code is \d{6}", await page.InnerTextAsync("[data-testid='outbox']"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-outbox.png"), FullPage = true });

        await page.GotoAsync($"{server.BaseUrl}/");
        await Assertions.Expect(page.GetByTestId("activity-totals")).ToContainTextAsync("sign-ins", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid='activity'] svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-home.png"), FullPage = true });
        await PortalAxeTests.Dark(page);
        await page.Mouse.MoveAsync(600, 400);
        await page.AnimationsDone();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-home-dark.png"), FullPage = true });
    }
}
