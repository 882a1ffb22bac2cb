using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Tests.Federation;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>The Federation page in chromium against a real Portal and a real SAML IdP's metadata URL (npm saml-idp).</summary>
[Collection(SamlCollection.Name)]
public sealed class FederationPortalTests(SamlFixture f)
{
    [Fact]
    public async Task The_operator_sees_the_SAML_provider_with_its_metadata_summary_and_mapping()
    {
        var idp = await f.RealIdp();
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = "CorpSaml", ProviderType = "SAML", IdpIdentifiers = ["corp.example"],
            ProviderDetails = new() { ["MetadataURL"] = idp.MetadataUrl, ["IDPInit"] = "false" },
            AttributeMapping = new()
            {
                ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", ["given_name"] = "firstName", ["family_name"] = "lastName",
            },
        });
        await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientName = "intranet", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, GenerateSecret = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["CorpSaml"], CallbackURLs = ["https://intranet.example.com/cb"],
        });

        var page = await f.Browser.NewPage(1280, 1100);
        await PortalSignIn.AsAdministrator(page, f.Server);
        await page.GotoAsync($"{f.Server.BaseUrl}/federation?pool={f.PoolId}");
        var test = page.Locator("[data-testid='test-CorpSaml']");
        await Assertions.Expect(test).ToHaveAttributeAsync("href", $"{f.Server.BaseUrl}/federation/test/{f.PoolId}/CorpSaml");
        // The page is prerendered first: click again until the interactive circuit answers.
        for (var i = 0; i < 20 && await page.Locator("[data-testid='provider-editor']").CountAsync() == 0; i++)
        {
            await page.Locator("[data-testid='edit-CorpSaml']").ClickAsync();
            await page.Locator("[data-testid='provider-editor']").Shows(500);
        }
        await Assertions.Expect(page.Locator("[data-testid='saml-entity-id']")).ToHaveTextAsync("urn:portal:test:saml-idp");
        await Assertions.Expect(page.Locator("[data-testid='saml-certificate']")).ToContainTextAsync("Portal test SAML IdP");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-federation.png"), FullPage = true });
    }

    [Fact]
    public async Task The_administrators_test_sign_in_shows_what_the_IdP_sent_and_the_mapped_attributes_and_saves_nothing()
    {
        var idp = await f.RealIdp();
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = "TestSaml", ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataURL"] = idp.MetadataUrl },
            AttributeMapping = new()
            {
                ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", ["given_name"] = "firstName", ["nickname"] = "nick",
            },
        });

        var page = await f.Browser.NewPage(1280, 1100);
        await PortalSignIn.AsAdministrator(page, f.Server);
        await page.GotoAsync($"{f.Server.BaseUrl}/federation?pool={f.PoolId}");
        // No app client offers the provider: the test needs none.
        var test = page.Locator("[data-testid='test-TestSaml']");
        await Assertions.Expect(test).ToHaveAttributeAsync("href", $"{f.Server.BaseUrl}/federation/test/{f.PoolId}/TestSaml");
        await Assertions.Expect(test).ToHaveAttributeAsync("target", "_blank");
        var tab = await page.Context.RunAndWaitForPageAsync(() => test.ClickAsync());

        // saml-idp's page, then back to the test result.
        await tab.Reach(url => url.StartsWith(idp.BaseUrl, StringComparison.Ordinal));
        await tab.Locator("#btn-sign-in").ClickAsync();
        var result = tab.GetByTestId("federation-test");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-outcome", "succeeded", new() { Timeout = 30_000 });
        Assert.StartsWith(f.Server.BaseUrl + "/saml2/idpresponse", tab.Url);
        await Assertions.Expect(tab.GetByTestId("test-user")).ToContainTextAsync("TestSaml_saml.jackson");
        await Assertions.Expect(tab.GetByTestId("test-user")).ToContainTextAsync("the first sign-in creates this user");
        var mapped = tab.GetByTestId("test-mapped");
        await Assertions.Expect(mapped.Locator("tr[data-attribute='email']")).ToContainTextAsync("saml.jackson@example.com");
        await Assertions.Expect(mapped.Locator("tr[data-attribute='given_name']")).ToContainTextAsync("Saml");
        await Assertions.Expect(mapped.Locator("tr[data-attribute='nickname']")).ToContainTextAsync("not sent by the provider");
        await Assertions.Expect(tab.GetByTestId("test-claims")).ToContainTextAsync("lastName");
        await Assertions.Expect(tab.GetByTestId("test-claims")).ToContainTextAsync("Jackson");
        await tab.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "federation-test.png"), FullPage = true });
        Assert.Empty(await Axe.SeriousViolations(tab));

        // Nothing was saved: the user does not exist.
        var users = await f.Cognito.Send(new ListUsersRequest { UserPoolId = f.PoolId, Filter = "username = \"TestSaml_saml.jackson\"" });
        Assert.Empty(users.Users!);
    }

    [Fact]
    public async Task A_test_sign_in_of_an_unknown_provider_says_so()
    {
        var page = await f.Browser.NewPage();
        await PortalSignIn.AsAdministrator(page, f.Server);
        var response = await page.GotoAsync($"{f.Server.BaseUrl}/federation/test/{f.PoolId}/NoSuchProvider");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByTestId("federation-test")).ToHaveAttributeAsync("data-outcome", "failed");
        await Assertions.Expect(page.GetByTestId("test-message")).ToHaveTextAsync("The pool has no identity provider named NoSuchProvider.");
    }
}
