using Bunit;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Pages;
using Portal.Client.Security;
using Portal.Tests.Federation;

namespace Portal.Tests.Portal;

/// <summary>The IAM identity providers page against the real engine: OpenID Connect and SAML providers created (the
/// form's checks first, then IAM's), listed with the identity pools that use them, and deleted only when no pool does.</summary>
public sealed class IamIdentityProvidersPageTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    static string Unique(string stem) => $"{stem}-{Guid.NewGuid():n}"[..(stem.Length + 9)];

    IRenderedComponent<IamIdentityProviders> Open(OperatorAccess? access = null)
    {
        var page = Ctx.Render<IamIdentityProviders>(p => p.Add(d => d.Access, access ?? OperatorAccess.Administrator));
        page.WaitForElement("[data-testid='providers']", Wait);
        return page;
    }

    [Fact]
    public void An_OIDC_provider_is_checked_created_listed_with_its_pool_and_not_deleted_while_the_pool_uses_it()
    {
        var host = Unique("issuer");
        var page = Open();
        Press(page, "create-oidc");
        Input(page, "oidc-url").Change($"http://{host}.example.com");
        Input(page, "oidc-thumbprints").Change("abc");
        Press(page, "oidc-create");
        page.WaitForAssertion(() => Assert.Contains("https URL", page.Markup), Wait);
        Assert.Contains("At least one client id", page.Markup);
        Assert.Contains("40 hexadecimal characters", page.Markup);

        Input(page, "oidc-url").Change($"https://{host}.example.com");
        Input(page, "oidc-clients").Change("web-app\nmobile-app");
        Input(page, "oidc-thumbprints").Change(new string('a', 40));
        Press(page, "oidc-create");
        page.WaitForAssertion(() => Assert.Contains($"OpenID Connect provider https://{host}.example.com added.", Snackbars), Wait);
        var arn = Engine.Setup(new ListOpenIDConnectProvidersRequest()).OpenIDConnectProviderList!.Single(p => p.Arn!.EndsWith(host + ".example.com", StringComparison.Ordinal)).Arn!;
        Assert.Equal(["web-app", "mobile-app"], Engine.Setup(new GetOpenIDConnectProviderRequest { OpenIDConnectProviderArn = arn }).ClientIDList);
        var name = $"https://{host}.example.com";
        page.WaitForAssertion(() => Assert.Contains("Client ids: web-app, mobile-app", page.Find($"[data-testid='provider-details-{name}']").TextContent), Wait);

        // A pool picks it; the page names the pool and refuses to delete the provider.
        var poolName = Unique("oidc-pool");
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = poolName, AllowUnauthenticatedIdentities = false, OpenIdConnectProviderARNs = [arn] }).IdentityPoolId!;
        var again = Open();
        again.WaitForAssertion(() => Assert.Contains(poolName, again.Find($"[data-testid='provider-used-{name}']").TextContent), Wait);
        Press(again, $"delete-provider-{name}");
        again.WaitForAssertion(() => Assert.Equal($"{name} is used by identity pool {poolName}: remove it from the pool's providers first.",
            again.Find("[data-testid='providers-error']").TextContent.Trim()), Wait);
        Assert.NotNull(Engine.Setup(new GetOpenIDConnectProviderRequest { OpenIDConnectProviderArn = arn }).Url);

        // Once the pool lets go of it, it is deleted after a confirmation.
        Engine.Setup(new UpdateIdentityPoolRequest { IdentityPoolId = pool, IdentityPoolName = poolName, AllowUnauthenticatedIdentities = false, OpenIdConnectProviderARNs = [] });
        var third = Open();
        third.WaitForElement($"[data-testid='delete-provider-{name}']", Wait);
        Press(third, $"delete-provider-{name}");
        AnswerDialog(confirm: true);
        third.WaitForAssertion(() => Assert.Contains($"{name} deleted.", Snackbars), Wait);
        Assert.Throws<NoSuchEntityException>(() => Engine.Setup(new GetOpenIDConnectProviderRequest { OpenIDConnectProviderArn = arn }));
    }

    [Fact]
    public void A_SAML_provider_needs_its_whole_metadata_and_IAMs_checks_show_at_the_field()
    {
        var name = Unique("corp-idp");
        var page = Open();
        Press(page, "create-saml");
        Input(page, "saml-name").Change(name);
        Input(page, "saml-metadata").Change("<EntityDescriptor/>");
        Press(page, "saml-create");
        page.WaitForAssertion(() => Assert.Contains("at least 1,000 characters", page.Markup), Wait);

        // Long enough, but not an identity provider's metadata: IAM's own refusal, at the metadata field.
        Input(page, "saml-metadata").Change($"<root>{new string('x', 1200)}</root>");
        Press(page, "saml-create");
        page.WaitForAssertion(() => Assert.Contains("Could not parse metadata", page.Markup), Wait);
        Assert.DoesNotContain(Engine.Setup(new ListSAMLProvidersRequest()).SAMLProviderList!, p => p.Arn!.EndsWith("/" + name, StringComparison.Ordinal));

        using var idp = new SamlTestIdp();
        var metadata = idp.Metadata();
        Assert.True(metadata.Length >= 1000, "the test IdP's metadata is a whole document");
        Input(page, "saml-metadata").Change(metadata);
        Press(page, "saml-create");
        page.WaitForAssertion(() => Assert.Contains($"SAML provider {name} added.", Snackbars), Wait);
        var arn = Engine.Setup(new ListSAMLProvidersRequest()).SAMLProviderList!.Single(p => p.Arn!.EndsWith("/" + name, StringComparison.Ordinal)).Arn!;
        Assert.Equal(metadata, Engine.Setup(new GetSAMLProviderRequest { SAMLProviderArn = arn }).SAMLMetadataDocument);
        page.WaitForElement($"[data-testid='provider-used-{name}']", Wait);
    }

    [Fact]
    public void A_viewer_sees_the_providers_without_a_control_that_changes_them()
    {
        var host = Unique("viewed");
        Engine.Setup(new CreateOpenIDConnectProviderRequest { Url = $"https://{host}.example.com", ClientIDList = ["app"] });
        var page = Open(new OperatorAccess(OperatorRoles.Viewer));
        page.WaitForElement($"[data-testid='provider-details-https://{host}.example.com']", Wait);
        Assert.Empty(page.FindAll("[data-testid='create-oidc']"));
        Assert.Empty(page.FindAll("[data-testid='create-saml']"));
        Assert.Empty(page.FindAll("[data-testid^='delete-provider-']"));
    }
}
