using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Tests.Infrastructure;
using FederationPage = Portal.Client.Pages.Federation;

namespace Portal.Tests.Portal;

/// <summary>The Federation page against the engine, with the identity-provider operations played by the <c>Answer</c> hook:
/// the providers stand for remote IdPs (OIDC discovery, SAML metadata) that a component test has no network to reach.</summary>
public sealed class FederationPageTests : PortalPageTest
{
    string pool = "";
    string clientId = "";
    readonly List<IdentityProviderType> providers = [];
    DescribeSamlMetadataResponse metadataAnswer = new()
    {
        EntityId = "https://idp.example.com/saml", SSORedirectBindingURI = "https://idp.example.com/sso", WantAuthnRequestsSigned = false,
        Certificates =
        [
            new() { Use = "signing", Subject = "CN=Example IdP 2026", NotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), NotAfter = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), Thumbprint = "AB12" },
            new() { Use = "signing", Subject = "CN=Example IdP 2020", NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), NotAfter = new(2024, 6, 30, 0, 0, 0, TimeSpan.Zero), Thumbprint = "CD34" },
        ],
    };

    object? Idp(object request)
    {
        lock (providers)
            switch (request)
            {
                case ListIdentityProvidersRequest:
                    return new ListIdentityProvidersResponse
                    {
                        Providers = providers.Select(p => new ProviderDescription
                        {
                            ProviderName = p.ProviderName, ProviderType = p.ProviderType, LastModifiedDate = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
                        }).ToList(),
                    };
                case DescribeIdentityProviderRequest r:
                    return new DescribeIdentityProviderResponse { IdentityProvider = providers.Single(p => p.ProviderName == r.ProviderName) };
                case CreateIdentityProviderRequest r:
                {
                    var created = new IdentityProviderType
                    {
                        UserPoolId = r.UserPoolId, ProviderName = r.ProviderName, ProviderType = r.ProviderType, ProviderDetails = r.ProviderDetails,
                        AttributeMapping = r.AttributeMapping, IdpIdentifiers = r.IdpIdentifiers,
                    };
                    providers.Add(created);
                    return new CreateIdentityProviderResponse { IdentityProvider = created };
                }
                case UpdateIdentityProviderRequest r:
                {
                    var i = providers.FindIndex(p => p.ProviderName == r.ProviderName);
                    providers[i] = providers[i] with { ProviderDetails = r.ProviderDetails, AttributeMapping = r.AttributeMapping, IdpIdentifiers = r.IdpIdentifiers };
                    return new UpdateIdentityProviderResponse { IdentityProvider = providers[i] };
                }
                case DeleteIdentityProviderRequest r:
                    providers.RemoveAll(p => p.ProviderName == r.ProviderName);
                    return new DeleteIdentityProviderResponse();
                case DescribeSamlMetadataRequest:
                    return metadataAnswer;
                case DescribeUserPoolClientRequest r when r.ClientId == clientId:
                    // The engine would refuse a client supporting Corp, which exists only in this hook: this one supports it.
                    return new DescribeUserPoolClientResponse
                    {
                        UserPoolClient = new UserPoolClientType
                        {
                            UserPoolId = pool, ClientId = clientId, ClientName = "storefront", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
                            AllowedOAuthScopes = ["openid", "email"], CallbackURLs = ["https://shop.example.com/cb"], SupportedIdentityProviders = ["COGNITO", "Corp"],
                        },
                    };
                default:
                    return null;
            }
    }

    IRenderedComponent<FederationPage> Open(OperatorAccess? access = null, bool domain = true)
    {
        pool = Cognito.AddPool("shop", s => s with
        {
            // A domain belongs to one pool of the engine: each test's pool gets its own.
            Domain = domain ? PortalServer.Unique("shop") : null,
            SchemaAttributes = [new() { Name = "sub" }, new() { Name = "email" }, new() { Name = "given_name" }, new() { Name = "family_name" }, new() { Name = "custom:tier" }],
        });
        clientId = Cognito.AddClient(pool, "storefront");
        Cognito.Answer = Idp;
        Nav.NavigateTo($"federation?pool={pool}");
        var page = access is null ? Ctx.Render<FederationPage>() : Ctx.Render<FederationPage>(p => p.AddCascadingValue(access));
        page.WaitForAssertion(() => Assert.NotEmpty(Cognito.Requests<ListIdentityProvidersRequest>()), Wait);
        return page;
    }

    void Add(string name, string type, Dictionary<string, string>? details = null, Dictionary<string, string>? mapping = null)
    {
        lock (providers)
            providers.Add(new IdentityProviderType
            {
                UserPoolId = pool, ProviderName = name, ProviderType = type, ProviderDetails = details ?? [], AttributeMapping = mapping ?? [], IdpIdentifiers = [],
            });
    }

    void AddProvider(IRenderedComponent<FederationPage> page, string type)
    {
        Button(page, "add-provider").Click();
        Popovers.WaitForAssertion(() => Assert.NotEmpty(Popovers.FindAll($"[data-testid='add-{type}']")), Wait);
        Popovers.Find($"[data-testid='add-{type}']").Click();
        page.WaitForElement("[data-testid='provider-editor']", Wait);
    }

    [Fact]
    public void Lists_the_providers_with_the_app_clients_using_them_and_a_test_sign_in_link()
    {
        Add("Corp", "SAML", new() { ["MetadataURL"] = "https://idp.example.com/metadata" });
        Add("Google", "Google", new() { ["client_id"] = "g", ["authorize_scopes"] = "openid" });
        var page = Open();
        page.WaitForAssertion(() => Assert.Contains("storefront", page.Find("[data-testid='providers']").TextContent), Wait);
        Assert.Contains("SAML 2.0", page.Markup);

        // Portal's own test sign-in, in a new tab: no app client is needed, so Google (used by none) has one too.
        var test = page.Find("[data-testid='test-Corp']");
        Assert.Equal($"http://localhost/federation/test/{pool}/Corp", test.GetAttribute("href"));
        Assert.Equal("_blank", test.GetAttribute("target"));
        Assert.Equal($"http://localhost/federation/test/{pool}/Google", page.Find("[data-testid='test-Google']").GetAttribute("href"));
        Assert.Contains("Nothing is saved", page.Find("[data-testid='test-explanation']").TextContent);
    }

    [Fact]
    public void A_pool_without_a_domain_says_so_and_still_offers_the_test_sign_in()
    {
        Add("Corp", "SAML", new() { ["MetadataURL"] = "https://idp.example.com/metadata" });
        var page = Open(domain: false);
        page.WaitForAssertion(() => Assert.Contains("has no hosted-UI domain", page.Markup), Wait);
        Assert.Equal($"http://localhost/federation/test/{pool}/Corp", page.Find("[data-testid='test-Corp']").GetAttribute("href"));
    }

    [Fact]
    public void Only_administrators_get_the_test_sign_in()
    {
        Add("Corp", "SAML", new() { ["MetadataURL"] = "https://idp.example.com/metadata" });
        var page = Open(new OperatorAccess(OperatorRoles.Operator));
        page.WaitForAssertion(() => Assert.Contains("storefront", page.Find("[data-testid='providers']").TextContent), Wait);
        Assert.Null(page.Find("[data-testid='test-Corp']").GetAttribute("href"));
        Assert.NotNull(page.Find("[data-testid='test-Corp']").GetAttribute("disabled"));
    }

    [Fact]
    public void The_OIDC_form_checks_required_fields_and_urls_before_sending()
    {
        var page = Open();
        AddProvider(page, "OIDC");
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Provider name is required.", page.Markup), Wait);
        Assert.Contains("Client id is required.", page.Markup);
        Assert.Contains("Issuer URL is required.", page.Markup);
        Assert.Empty(Cognito.Requests<CreateIdentityProviderRequest>());

        Input(page, "provider-name").Input("Corp IdP");
        Input(page, "detail-client_id").Input("portal");
        Input(page, "detail-oidc_issuer").Input("not a url");
        Input(page, "detail-authorize_scopes").Input("email profile");
        page.WaitForAssertion(() => Assert.Equal("Corp IdP", Input(page, "provider-name").GetAttribute("value")), Wait);
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid='provider-editor']").TextContent.Contains("without spaces"),
            System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid='provider-editor']").TextContent, @"\s+", " ")), Wait);
        Assert.Contains("Must be an http(s) URL.", page.Markup);
        Assert.Contains("must include openid", page.Markup);
        Assert.Empty(Cognito.Requests<CreateIdentityProviderRequest>());

        Input(page, "provider-name").Input("CorpIdP");
        Input(page, "detail-oidc_issuer").Input("https://login.corp.example");
        Input(page, "detail-authorize_scopes").Input("openid email");
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<CreateIdentityProviderRequest>()), Wait);
        var sent = Cognito.Requests<CreateIdentityProviderRequest>().Single();
        Assert.Equal("OIDC", sent.ProviderType);
        Assert.Equal("https://login.corp.example", sent.ProviderDetails!["oidc_issuer"]);
        Assert.Equal("portal", sent.ProviderDetails["client_id"]);
        Assert.Equal("email", sent.AttributeMapping!["email"]);
        page.WaitForAssertion(() => Assert.Contains("Provider CorpIdP saved.", Snackbars), Wait);
    }

    [Fact]
    public void Social_providers_are_named_as_Cognito_names_them()
    {
        var page = Open();
        AddProvider(page, "Google");
        Assert.Equal("Google", Input(page, "provider-name").GetAttribute("value"));
        Assert.Equal("profile email openid", Input(page, "detail-authorize_scopes").GetAttribute("value"));
    }

    [Fact]
    public void An_uploaded_SAML_metadata_file_is_summarised_with_certificates_and_endpoints()
    {
        var page = Open();
        AddProvider(page, "SAML");
        Button(page, "metadata-source-file").Click();
        var xml = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com/saml\"/>";
        page.WaitForAssertion(() => page.FindComponent<InputFile>(), Wait);
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(xml, "idp-metadata.xml"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='saml-summary']")), Wait);

        Assert.Equal(xml, Cognito.Requests<DescribeSamlMetadataRequest>().Single().MetadataFile);
        Assert.Contains("idp-metadata.xml", page.Find("[data-testid='metadata-file-state']").TextContent);
        Assert.Equal("https://idp.example.com/saml", page.Find("[data-testid='saml-entity-id']").TextContent);
        Assert.Equal("https://idp.example.com/sso", page.Find("[data-testid='saml-sso']").TextContent);
        var certificates = page.FindAll("[data-testid='saml-certificate']");
        Assert.Equal(2, certificates.Count);
        Assert.Contains("CN=Example IdP 2026", certificates[0].TextContent);
        Assert.Contains("2030-01-01", certificates[0].TextContent);
        Assert.Contains("valid", certificates[0].TextContent);
        Assert.Contains("expired", certificates[1].TextContent);
        Assert.Contains($"urn:amazon:cognito:sp:{pool}", page.Find("[data-testid='saml-sp-values']").TextContent);

        Input(page, "provider-name").Input("Corp");
        Input(page, "saml-encrypted").Change(true);
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<CreateIdentityProviderRequest>()), Wait);
        var sent = Cognito.Requests<CreateIdentityProviderRequest>().Single();
        Assert.Equal(xml, sent.ProviderDetails!["MetadataFile"]);
        Assert.Equal("true", sent.ProviderDetails["EncryptedResponses"]);
        Assert.False(sent.ProviderDetails.ContainsKey("MetadataURL"));
        Assert.Equal("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", sent.AttributeMapping!["email"]);
    }

    [Fact]
    public void A_SAML_metadata_URL_is_read_by_the_server_and_its_errors_shown()
    {
        var page = Open();
        AddProvider(page, "SAML");
        Input(page, "metadata-url").Input("https://idp.example.com/metadata");
        Cognito.Fail = r => r is DescribeSamlMetadataRequest
            ? new InvalidParameterException("MetadataURL https://idp.example.com/metadata answered HTTP 404; the metadata could not be read.")
            : null;
        Button(page, "metadata-read").Click();
        page.WaitForAssertion(() => Assert.Contains("answered HTTP 404", page.Find("[data-testid='metadata-error']").TextContent), Wait);
        Assert.Contains("(InvalidParameterException)", page.Find("[data-testid='metadata-error']").TextContent);
        Assert.Equal("https://idp.example.com/metadata", Cognito.Requests<DescribeSamlMetadataRequest>().Single().MetadataURL);

        Cognito.Fail = null;
        Button(page, "metadata-read").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='saml-summary']")), Wait);
        Assert.Empty(page.FindAll("[data-testid='metadata-error']"));
    }

    [Fact]
    public void The_mapping_editor_offers_the_pool_attributes_and_refuses_a_half_filled_row()
    {
        Add("Corp", "SAML", new() { ["MetadataURL"] = "https://idp.example.com/metadata" }, new() { ["email"] = "mail" });
        var page = Open();
        page.WaitForElement("[data-testid='edit-Corp']", Wait);
        Button(page, "edit-Corp").Click();
        page.WaitForElement("[data-testid='provider-editor']", Wait);
        Assert.Equal("mail", Input(page, "mapping-provider-0").GetAttribute("value"));

        Button(page, "mapping-add").Click();
        page.WaitForElement("[data-testid='mapping-pool-1']", Wait);
        Choose(page, "mapping-pool-1", "custom:tier");
        Assert.DoesNotContain(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "sub");
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Name the provider's attribute.", page.Markup), Wait);
        Assert.Empty(Cognito.Requests<UpdateIdentityProviderRequest>());

        Input(page, "mapping-provider-1").Input("urn:oid:1.3.6.1.4.1.5923.1.1.1.1");
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<UpdateIdentityProviderRequest>()), Wait);
        var mapping = Cognito.Requests<UpdateIdentityProviderRequest>().Single().AttributeMapping!;
        Assert.Equal("mail", mapping["email"]);
        Assert.Equal("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", mapping["custom:tier"]);
    }

    [Fact]
    public void Delete_asks_first_and_names_the_app_clients_that_use_the_provider()
    {
        Add("Corp", "SAML", new() { ["MetadataURL"] = "https://idp.example.com/metadata" });
        var page = Open();
        page.WaitForElement("[data-testid='delete-Corp']", Wait);
        page.WaitForAssertion(() => Assert.Contains("storefront", page.Find("[data-testid='providers']").TextContent), Wait);

        Button(page, "delete-Corp").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("App clients using it: storefront.", Dialogs.Find("[data-testid='confirm-message']").TextContent), Wait);
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<DeleteIdentityProviderRequest>());

        Button(page, "delete-Corp").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<DeleteIdentityProviderRequest>()), Wait);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='delete-Corp']")), Wait);
        Assert.Contains("Provider Corp deleted.", Snackbars);
    }

    [Fact]
    public void Engine_errors_are_shown_readably_at_the_field_or_above_the_buttons()
    {
        Add("Google", "Google", new() { ["client_id"] = "g" });
        var page = Open();
        AddProvider(page, "SAML");
        Input(page, "provider-name").Input("Corp");
        Input(page, "metadata-url").Input("https://idp.example.com/metadata");
        Cognito.Fail = r => r is CreateIdentityProviderRequest
            ? new InvalidParameterException("The SAML metadata is not valid: every signing certificate in the metadata has expired (the latest on 2024-06-30).")
            : null;
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Contains("every signing certificate in the metadata has expired", page.Find("[data-testid='provider-save-error']").TextContent), Wait);
        Assert.Contains("(InvalidParameterException)", page.Markup);

        Cognito.Fail = r => r is CreateIdentityProviderRequest ? new DuplicateProviderException("A provider with the name Corp already exists in this user pool.") : null;
        Button(page, "provider-save").Click();
        page.WaitForAssertion(() => Assert.Contains("already exists in this user pool. (DuplicateProviderException)", page.Markup), Wait);
    }

    [Fact]
    public void Listing_errors_are_shown_on_the_page()
    {
        Cognito.Fail = r => r is ListIdentityProvidersRequest ? new ResourceNotFoundException("User pool us-east-1_gone does not exist.") : null;
        var page = Open();
        page.WaitForAssertion(() => Assert.Contains("Could not list identity providers: User pool us-east-1_gone does not exist. (ResourceNotFoundException)",
            page.Find("[data-testid='federation-error']").TextContent), Wait);
    }

    [Fact]
    public void Viewers_see_the_providers_read_only()
    {
        Add("Corp", "SAML", new() { ["MetadataURL"] = "https://idp.example.com/metadata", ["IDPInit"] = "true" }, new() { ["email"] = "mail" });
        var page = Open(new OperatorAccess(OperatorRoles.Viewer));
        page.WaitForElement("[data-testid='edit-Corp']", Wait);
        Assert.Empty(page.FindAll("[data-testid='add-provider']"));
        Assert.Empty(page.FindAll("[data-testid='delete-Corp']"));
        Assert.Equal("View Corp", page.Find("[data-testid='edit-Corp']").GetAttribute("aria-label"));

        Button(page, "edit-Corp").Click();
        page.WaitForElement("[data-testid='provider-editor']", Wait);
        Assert.Empty(page.FindAll("[data-testid='provider-save']"));
        Assert.Empty(page.FindAll("[data-testid='mapping-add']"));
        Assert.True(Input(page, "metadata-url").HasAttribute("readonly"));
        Assert.NotEmpty(page.FindAll("[data-testid='saml-summary']"));
    }
}
