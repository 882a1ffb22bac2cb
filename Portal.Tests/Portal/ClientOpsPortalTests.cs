using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>In a real browser: the client editor rotates a secret in two clicks and sets the terms documents, the branding
/// page says which API last wrote the branding; each axe-checked and photographed into docs/screenshots.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClientOpsPortalTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    // MudTextField puts the test id on its input or on its wrapper depending on the version: either way, the input.
    static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input").First;

    static string Shot(string name) => Path.Combine(PortalServer.RepositoryRoot, "docs", "screenshots", name);

    [Fact]
    public async Task Client_editor_rotates_the_secret_in_two_clicks_and_sets_the_terms()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var sample = await SamplePool(server);
        var client = (await engine.Send(new CreateUserPoolClientRequest { UserPoolId = sample.PoolId, ClientName = "shop-backend", GenerateSecret = true })).UserPoolClient!;
        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Settle(page, $"{server.BaseUrl}/clients/{sample.PoolId}/{client.ClientId}");

        var rows = page.GetByTestId("secret-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await page.GetByTestId("add-secret").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var added = await Field(page, "new-secret").InputValueAsync();
        Assert.Matches("^[a-z0-9]{51}$", added);
        await Assertions.Expect(page.GetByTestId("add-secret")).ToBeDisabledAsync();

        await Field(page, "terms-terms-of-use").FillAsync("https://shop.example.com/terms");
        await Field(page, "terms-privacy-policy").FillAsync("https://shop.example.com/privacy");
        await page.GetByTestId("terms-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("remove-privacy-policy")).ToBeVisibleAsync();
        await page.AnimationsDone();
        Assert.Empty(await PortalAxeTests.Serious(page));
        await page.ScreenshotAsync(new() { Path = Shot("portal-client-secrets-terms.png"), FullPage = true });

        await page.GetByTestId("retire-secret").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var described = (await engine.Send(new DescribeUserPoolClientRequest { UserPoolId = sample.PoolId, ClientId = client.ClientId })).UserPoolClient!;
        Assert.Equal(added, described.ClientSecret);
        var terms = (await engine.Send(new ListTermsRequest { UserPoolId = sample.PoolId })).Terms!;
        Assert.Equal(["privacy-policy", "terms-of-use"], terms.Select(t => t.TermsName).Order());
    }

    [Fact]
    public async Task Branding_page_says_which_api_last_wrote_the_branding()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var sample = await SamplePool(server);
        await engine.Send(new CreateUserPoolDomainRequest { UserPoolId = sample.PoolId, Domain = sample.PoolName });
        var style = (await engine.Send(new CreateManagedLoginBrandingRequest
        {
            UserPoolId = sample.PoolId, ClientId = sample.ClientId,
            Settings = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(
                """{"components":{"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"7a2e8eff"}}}},"componentClasses":{"buttons":{"borderRadius":14}}}"""),
        })).ManagedLoginBranding!;
        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Settle(page, $"{server.BaseUrl}/branding?pool={sample.PoolId}&client={sample.ClientId}");

        var note = page.GetByTestId("branding-last-written");
        await Assertions.Expect(note).ToContainTextAsync("managed login branding API");
        await Assertions.Expect(note).ToContainTextAsync(style.ManagedLoginBrandingId!);
        await page.AnimationsDone();
        Assert.Empty(await PortalAxeTests.Serious(page));
        await page.ScreenshotAsync(new() { Path = Shot("portal-branding-last-written.png"), FullPage = true });
    }
}
