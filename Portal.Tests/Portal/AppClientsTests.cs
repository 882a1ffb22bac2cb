using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class AppClientsTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<AppClientEditor> RenderEditor(string? clientId = null)
    {
        pool = pool.Length > 0 ? pool : Cognito.AddPool("shop");
        var page = Ctx.Render<AppClientEditor>(p => p.Add(x => x.Pool, pool).Add(x => x.ClientId, clientId));
        page.WaitForElement("[data-testid='client-save']", Wait);
        return page;
    }

    [Fact]
    public void Creating_a_client_with_a_secret_shows_the_secret_once()
    {
        var page = RenderEditor();
        Input(page, "client-name").Change("web backend");
        Input(page, "generate-secret").Change(true);
        Input(page, "flow-ALLOW_USER_PASSWORD_AUTH").Change(true);
        Button(page, "client-save").Click();

        page.WaitForElement("[data-testid='client-created']", Wait);
        var sent = Cognito.Requests<CreateUserPoolClientRequest>().Single();
        Assert.True(sent.GenerateSecret);
        Assert.Equal(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"], sent.ExplicitAuthFlows);
        Assert.Equal((60, "minutes", 30, "days"), (sent.AccessTokenValidity, sent.TokenValidityUnits!.AccessToken, sent.RefreshTokenValidity, sent.TokenValidityUnits.RefreshToken));
        Assert.Equal("ENABLED", sent.PreventUserExistenceErrors);
        var secret = Input(page, "client-secret").GetAttribute("value");
        // The secret shown is the one the engine made for this client.
        var created = Cognito.Responses<CreateUserPoolClientResponse>().Single().UserPoolClient!;
        Assert.False(string.IsNullOrEmpty(created.ClientSecret));
        Assert.Equal(created.ClientSecret, secret);
        Assert.Contains("shows it only this once", page.Markup);

        Button(page, "copy-secret").Click();
        page.WaitForAssertion(() => Assert.Contains("Copied", page.Find("[data-testid='copy-result']").TextContent), Wait);
        Ctx.JSInterop.VerifyInvoke("navigator.clipboard.writeText");

        Button(page, "open-created").Click();
        var clientId = Nav.Uri.Split('/').Last();
        Assert.EndsWith($"clients/{pool}/{clientId}", Nav.Uri);
        // The router shows the saved client with the same component; the secret is never shown there.
        page.Render(p => p.Add(x => x.Pool, pool).Add(x => x.ClientId, clientId));
        page.WaitForElement("[data-testid='client-save']", Wait);
        Assert.DoesNotContain(secret!, page.Markup);
        Assert.Contains("has a client secret", page.Markup);
    }

    [Fact]
    public void Form_checks_name_and_urls_before_sending()
    {
        var page = RenderEditor();
        Button(page, "client-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Client name is required.", page.Markup), Wait);

        Input(page, "oauth-enabled").Change(true);
        Input(page, "client-name").Change("spa");
        Button(page, "client-save").Click();
        page.WaitForAssertion(() => Assert.Contains("The code and implicit grants need a callback URL.", page.Find("[data-testid='callbacks-error']").TextContent), Wait);
        Assert.Empty(Cognito.Requests<CreateUserPoolClientRequest>());

        Input(page, "callbacks-input").Input("http://app.example.com/cb");
        Button(page, "callbacks-add").Click();
        page.WaitForAssertion(() => Assert.Contains("Use https (http only for localhost).", page.Markup), Wait);
        Input(page, "callbacks-input").Input("https://app.example.com/cb");
        Button(page, "callbacks-add").Click();
        page.WaitForAssertion(() => Assert.Contains("<code class=\"flex-grow-1\" style=\"overflow-wrap:anywhere\">https://app.example.com/cb</code>", page.Markup), Wait);

        Button(page, "client-save").Click();
        page.WaitForElement("[data-testid='client-created']", Wait);
        var sent = Cognito.Requests<CreateUserPoolClientRequest>().Single();
        Assert.Equal(["https://app.example.com/cb"], sent.CallbackURLs);
        Assert.Equal(["code"], sent.AllowedOAuthFlows);
        Assert.True(sent.AllowedOAuthFlowsUserPoolClient);
        Assert.Contains("openid", sent.AllowedOAuthScopes!);
        Assert.Empty(page.FindAll("[data-testid='client-secret']"));
    }

    [Fact]
    public void An_unknown_scope_from_the_engine_is_shown_next_to_the_scopes()
    {
        pool = Cognito.AddPool("shop");
        Cognito.Fail = r => r is CreateUserPoolClientRequest ? new ScopeDoesNotExistException("Invalid scope requested: openid") : null;
        var page = RenderEditor();
        Input(page, "client-name").Change("spa");
        Button(page, "client-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Invalid scope requested: openid (ScopeDoesNotExistException)",
            page.Find("[data-testid='scopes-error']").TextContent), Wait);
        Assert.Contains("Not saved", page.Find("[data-testid='client-save-result']").TextContent);
    }

    [Fact]
    public void Editing_sends_update_with_token_validity_units_and_kept_settings()
    {
        pool = Cognito.AddPool("shop");
        var id = Cognito.AddClient(pool, "mobile");
        var page = RenderEditor(id);
        Assert.Equal("mobile", Input(page, "client-name").GetAttribute("value"));
        Input(page, "validity-access").Change("2");
        Choose(page, "validity-access-unit", "hours");
        Input(page, "token-revocation").Change(false);
        Input(page, "client-name").Change("mobile app");
        Button(page, "client-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Changes saved.", page.Find("[data-testid='client-save-result']").TextContent), Wait);
        var sent = Cognito.Requests<UpdateUserPoolClientRequest>().Single();
        Assert.Equal((id, "mobile app", 2, "hours", false), (sent.ClientId, sent.ClientName, sent.AccessTokenValidity, sent.TokenValidityUnits!.AccessToken, sent.EnableTokenRevocation));
        // The flows the engine gave the client when it was made without any are sent back as they were.
        Assert.Equal(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"], sent.ExplicitAuthFlows);
    }

    [Fact]
    public void Clients_are_deleted_only_after_confirming()
    {
        pool = Cognito.AddPool("shop");
        var id = Cognito.AddClient(pool, "legacy");
        Nav.NavigateTo($"clients?pool={pool}");
        var page = Ctx.Render<AppClients>();
        page.WaitForElement($"[data-testid='delete-client-{id}']", Wait);

        Button(page, $"delete-client-{id}").Click();
        AnswerDialog(confirm: false);
        Assert.Empty(Cognito.Requests<DeleteUserPoolClientRequest>());

        Button(page, $"delete-client-{id}").Click();
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("No app clients in this pool yet.", page.Markup), Wait);
        Assert.Equal(id, Cognito.Requests<DeleteUserPoolClientRequest>().Single().ClientId);
    }

    [Fact]
    public void Resource_servers_are_created_with_scopes_that_clients_can_then_allow()
    {
        pool = Cognito.AddPool("shop");
        Nav.NavigateTo($"clients?pool={pool}");
        var page = Ctx.Render<AppClients>();
        page.WaitForAssertion(() => Assert.NotEmpty(Cognito.Requests<ListResourceServersRequest>()), Wait);
        Tab(page, "Resource servers");
        page.WaitForElement("[data-testid='create-resource-server']", Wait);
        Button(page, "create-resource-server").Click();
        Dialogs.WaitForElement("[data-testid='rs-save']", Wait);
        Input(Dialogs, "rs-identifier").Change("https://api.example.com");
        Input(Dialogs, "rs-name").Change("orders api");
        Button(Dialogs, "rs-add-scope").Click();
        Input(Dialogs, "rs-scope-name-0").Change("orders.read");
        Button(Dialogs, "rs-save").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("Every scope needs a name and a description.", Dialogs.Markup), Wait);
        Input(Dialogs, "rs-scope-description-0").Change("Read orders");
        Button(Dialogs, "rs-save").Click();
        page.WaitForAssertion(() => Assert.Contains("orders api", page.Markup), Wait);
        var sent = Cognito.Requests<CreateResourceServerRequest>().Single();
        Assert.Equal(("https://api.example.com", "orders.read", "Read orders"), (sent.Identifier, sent.Scopes![0].ScopeName, sent.Scopes[0].ScopeDescription));

        var editor = RenderEditor();
        Assert.NotEmpty(editor.FindAll("[data-testid='scope-https://api.example.com/orders.read']"));
    }
}
