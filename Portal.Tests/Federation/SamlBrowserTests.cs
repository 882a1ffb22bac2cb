using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Tests.HostedUi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>End to end in chromium with a real SAML IdP (npm saml-idp started by the test): the hosted UI's SAML button,
/// the IdP's sign-in page, the POST back to /saml2/idpresponse, and an app that receives the tokens.</summary>
[Collection(SamlCollection.Name)]
public sealed class SamlBrowserTests(SamlFixture f)
{
    [Fact]
    public async Task A_user_signs_in_through_saml_idp_and_the_app_receives_tokens_with_identities()
    {
        var idp = await f.RealIdp();
        const string provider = "SamlIdp";
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = provider, ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataURL"] = idp.MetadataUrl },
            AttributeMapping = new()
            {
                ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", ["given_name"] = "firstName",
                ["family_name"] = "lastName",
            },
        });
        var client = (await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientName = "saml-e2e", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["COGNITO", provider],
            CallbackURLs = ["http://localhost/placeholder"],
        })).UserPoolClient!;
        await using var app = await SampleOidcApp.Start($"{f.Server.BaseUrl}/{f.PoolId}", client.ClientId!, null, $"{f.Server.BaseUrl}/{f.Domain}/logout");
        await f.Cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientId = client.ClientId, ClientName = client.ClientName, AllowedOAuthFlows = ["code"],
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email", "profile"],
            SupportedIdentityProviders = ["COGNITO", provider], CallbackURLs = [app.CallbackUrl],
        });

        var page = await f.Browser.NewPage();
        await page.GotoAsync(app.BaseUrl + "/");
        await page.Reach(url => url.StartsWith($"{f.Server.BaseUrl}/{f.Domain}/login", StringComparison.Ordinal));
        var button = page.Locator(".idp-button", new() { HasText = provider });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-login-saml.png") });
        await button.ClickAsync();

        // saml-idp's own page: the AuthnRequest Portal sent, and its user form.
        await page.Reach(url => url.StartsWith(idp.BaseUrl, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#issuer")).ToHaveTextAsync(f.Audience);
        await page.Locator("#btn-sign-in").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/", new() { Timeout = 30_000 });
        var claims = await page.Locator("#claims").InnerTextAsync();
        Assert.Contains($"cognito:username={provider}_saml.jackson", claims);
        Assert.Contains("identities=", claims);
        Assert.Contains($"\"providerName\":\"{provider}\"", claims);
        Assert.Contains("\"providerType\":\"SAML\"", claims);
        Assert.Contains("email=saml.jackson@example.com", claims);

        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_saml.jackson" });
        var attributes = user.UserAttributes!.ToDictionary(a => a.Name!, a => a.Value);
        Assert.Equal("EXTERNAL_PROVIDER", user.UserStatus);
        Assert.Equal("saml.jackson@example.com", attributes["email"]);
        Assert.Equal("Saml", attributes["given_name"]);
        Assert.Equal("Jackson", attributes["family_name"]);
        Assert.Contains("urn:portal:test:saml-idp", attributes["identities"]);
    }

    [Fact]
    public async Task A_user_signs_in_through_saml_idp_that_encrypts_its_assertions_for_the_pool()
    {
        using var sp = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(
            (await f.Cognito.Send(new GetSigningCertificateRequest { UserPoolId = f.PoolId })).Certificate!));
        using var idp = await SamlIdpProcess.Start(f.Acs, f.Audience, encryptFor: sp);
        const string provider = "SamlEncrypted";
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = provider, ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataURL"] = idp.MetadataUrl, ["EncryptedResponses"] = "true" },
            AttributeMapping = new() { ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", ["family_name"] = "lastName" },
        });
        var client = (await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientName = "saml-encrypted", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = [provider], CallbackURLs = ["http://localhost/placeholder"],
        })).UserPoolClient!;
        await using var app = await SampleOidcApp.Start($"{f.Server.BaseUrl}/{f.PoolId}", client.ClientId!, null, $"{f.Server.BaseUrl}/{f.Domain}/logout");
        await f.Cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientId = client.ClientId, ClientName = client.ClientName, AllowedOAuthFlows = ["code"],
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = [provider],
            CallbackURLs = [app.CallbackUrl],
        });

        var page = await f.Browser.NewPage();
        await page.GotoAsync(app.BaseUrl + "/");
        // The only provider of the app: the hosted UI goes straight to it.
        await page.Reach(url => url.StartsWith(idp.BaseUrl, StringComparison.Ordinal) || url.Contains("/login"));
        if (!page.Url.StartsWith(idp.BaseUrl, StringComparison.Ordinal)) await page.Locator(".idp-button", new() { HasText = provider }).ClickAsync();
        await page.Reach(url => url.StartsWith(idp.BaseUrl, StringComparison.Ordinal));
        await page.Locator("#btn-sign-in").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/", new() { Timeout = 30_000 });
        var claims = await page.Locator("#claims").InnerTextAsync();
        Assert.Contains($"cognito:username={provider}_saml.jackson", claims);
        Assert.Contains("email=saml.jackson@example.com", claims);
        Assert.Contains("\"providerName\":\"" + provider + "\"", claims);
        Assert.Contains(f.Server.Log, l => l.Contains("SAML assertion") && l.Contains(provider) && l.Contains("accepted"));
    }
}
