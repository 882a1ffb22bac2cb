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
        await Assertions.Expect(test).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"/{f.Domain}/oauth2/authorize\\?.*identity_provider=CorpSaml"));
        // The page is prerendered first: click again until the interactive circuit answers.
        for (var i = 0; i < 20 && await page.Locator("[data-testid='provider-editor']").CountAsync() == 0; i++)
        {
            await page.Locator("[data-testid='edit-CorpSaml']").ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }
        await Assertions.Expect(page.Locator("[data-testid='saml-entity-id']")).ToHaveTextAsync("urn:portal:test:saml-idp");
        await Assertions.Expect(page.Locator("[data-testid='saml-certificate']")).ToContainTextAsync("Portal test SAML IdP");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-federation.png"), FullPage = true });
    }
}
