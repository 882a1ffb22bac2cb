using System.Net;
using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>Federated sign-ins that must not succeed: the provider's answer tampered with, replayed, refused, or its ID
/// token wrong. Each ends on the hosted UI's error page, never at the app with a code.</summary>
[Collection(OidcCollection.Name)]
public sealed class OidcRefusalTests(OidcFixture f) : IAsyncLifetime
{
    OidcStubProvider stub = null!;
    string stubClient = "";

    public async Task InitializeAsync()
    {
        stub = await OidcStubProvider.Start();
        var name = "Stub" + Guid.NewGuid().ToString("n")[..6];
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = name, ProviderType = "OIDC",
            ProviderDetails = new()
            {
                ["client_id"] = stub.ClientId, ["client_secret"] = "stub-secret", ["attributes_request_method"] = "GET", ["oidc_issuer"] = stub.Issuer,
                ["authorize_scopes"] = "openid", ["authorize_url"] = stub.Issuer + "/authorize", ["token_url"] = stub.Issuer + "/token",
                ["attributes_url"] = stub.Issuer + "/userinfo", ["jwks_uri"] = stub.Issuer + "/jwks",
            },
            AttributeMapping = new() { ["email"] = "email" },
        });
        StubName = name;
        stubClient = await f.Client(["COGNITO", name]);
    }

    string StubName { get; set; } = "";

    public async Task DisposeAsync() => await stub.DisposeAsync();

    static void AssertErrorPage(HttpUser.Step step, string text)
    {
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Null(step.Location);
        Assert.Contains(text, HttpUser.Text(step.Body));
        Assert.Contains("script-src 'self'", step.ContentSecurityPolicy);
    }

    async Task<HttpUser.Step> StubSignIn()
    {
        using var user = f.NewUser();
        return await user.Follow(await user.Get(f.AuthorizeUrl(StubName, clientId: stubClient)));
    }

    [Fact]
    public async Task A_well_formed_stub_token_signs_in()
    {
        stub.Reset();
        var step = await StubSignIn();
        Assert.StartsWith(OidcFixture.Callback, step.Location!.ToString());
        Assert.NotNull(HttpUser.Query(step.Location, "code"));
    }

    [Theory]
    [InlineData("audience")]
    [InlineData("issuer")]
    [InlineData("nonce")]
    [InlineData("signature")]
    [InlineData("expired")]
    public async Task A_wrong_id_token_is_refused(string wrong)
    {
        stub.Reset();
        switch (wrong)
        {
            case "audience": stub.Audience = "someone-else"; break;
            case "issuer": stub.TokenIssuer = "http://evil.example"; break;
            case "nonce": stub.Nonce = "not-the-nonce-portal-sent"; break;
            case "signature": stub.SignWithOtherKey = true; break;
            case "expired": stub.Expired = true; break;
        }
        var step = await StubSignIn();
        AssertErrorPage(step, "could not be trusted");
    }

    [Fact]
    public async Task A_tampered_state_is_refused()
    {
        using var user = f.NewUser();
        var toIdp = await user.Follow(await user.Get(f.AuthorizeUrl(StubName, clientId: stubClient)), u => u.Port == new Uri(stub.Issuer).Port);
        var back = await user.Get(toIdp.Location!.ToString());          // the stub answers at once with code and state
        var state = HttpUser.Query(back.Location, "state")!;
        var tampered = state[..^4] + (state.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var step = await user.Get($"{f.Server.BaseUrl}/{f.Domain}/oauth2/idpresponse?code=stub-code&state={Uri.EscapeDataString(tampered)}");
        AssertErrorPage(step, "Start again from the app");
    }

    [Fact]
    public async Task A_replayed_state_is_refused()
    {
        stub.Reset();
        using var user = f.NewUser();
        var toIdp = await user.Follow(await user.Get(f.AuthorizeUrl(StubName, clientId: stubClient)), u => u.Port == new Uri(stub.Issuer).Port);
        var back = await user.Get(toIdp.Location!.ToString());
        var first = await user.Follow(await user.Get(back.Location!.ToString()));
        Assert.StartsWith(OidcFixture.Callback, first.Location!.ToString());
        var again = await user.Get(back.Location!.ToString());
        AssertErrorPage(again, "already used");
    }

    [Fact]
    public async Task The_idp_refusing_the_sign_in_shows_an_error_page()
    {
        using var user = f.NewUser();
        var toIdp = await user.Follow(await user.Get(f.AuthorizeUrl("CorpIdP")), u => u.Port == f.Idp.Port);
        var login = await user.Follow(await user.Get(toIdp.Location!.ToString()));
        Assert.Contains("name=\"login\"", login.Body);
        // The user cancels at the provider: oidc-provider answers error=access_denied.
        var step = await user.Follow(await user.Get(login.Url.ToString().TrimEnd('/') + "/abort"));
        AssertErrorPage(step, "cancelled or refused");
    }

    [Fact]
    public async Task A_provider_not_enabled_for_the_client_is_refused()
    {
        var cognitoOnly = await f.Client(["COGNITO"]);
        using var user = f.NewUser();
        var step = await user.Follow(await user.Get(f.AuthorizeUrl("CorpIdP", clientId: cognitoOnly)));
        AssertErrorPage(step, "not enabled for this app");
    }

    [Fact]
    public async Task An_unknown_provider_is_refused()
    {
        using var user = f.NewUser();
        var step = await user.Follow(await user.Get(f.AuthorizeUrl("NoSuchIdP")));
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Contains("not configured", HttpUser.Text(step.Body));
    }
}
