using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>The federated code flow at the HTTP level against a real OpenID provider: tokens, attribute updates,
/// identifier-first routing and single sign-on.</summary>
[Collection(OidcCollection.Name)]
public sealed class OidcFlowTests(OidcFixture f)
{
    [Fact]
    public async Task The_app_receives_tokens_whose_id_token_has_the_identities_claim()
    {
        var login = "carol-" + Guid.NewGuid().ToString("n")[..6];
        using var user = f.NewUser();
        var step = await user.SignIn(f.AuthorizeUrl("CorpIdP", state: "s-123"), login);
        Assert.StartsWith(OidcFixture.Callback, step.Location!.ToString());
        Assert.Equal("s-123", HttpUser.Query(step.Location, "state"));
        var tokens = await f.Redeem(HttpUser.Query(step.Location, "code")!);
        var id = OidcFixture.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal($"CorpIdP_{login}", id.GetProperty("cognito:username").GetString());
        Assert.Equal("app-nonce", id.GetProperty("nonce").GetString());
        var identity = id.GetProperty("identities")[0];
        Assert.Equal(login, identity.GetProperty("userId").GetString());
        Assert.Equal("CorpIdP", identity.GetProperty("providerName").GetString());
        Assert.Equal("OIDC", identity.GetProperty("providerType").GetString());
        Assert.Equal("true", identity.GetProperty("primary").GetString());
        Assert.Equal($"{login}@idp.example", id.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Login_CSRF_the_providers_answer_opened_in_another_browser_is_refused_and_signs_no_one_in()
    {
        var login = "mallory-" + Guid.NewGuid().ToString("n")[..6];
        // The attacker signs in at the provider in their own browser and stops before Portal's idpresponse ...
        using var attacker = f.NewUser();
        var atPortal = await attacker.SignIn(f.AuthorizeUrl("CorpIdP"), login, stopAt: f.IdpResponseUrl);
        Assert.StartsWith(f.IdpResponseUrl, atPortal.Location!.ToString());
        // ... and sends that link to the victim, whose browser has no binding cookie.
        using var victim = f.NewUser();
        var refused = await victim.Get(atPortal.Location.ToString());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("started in another browser", refused.Body);
        Assert.Null(refused.Location);
        await Assert.ThrowsAsync<UserNotFoundException>(() => f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{login}" }));
        // No hosted-UI session either: authorize with prompt=none does not sign the victim in.
        var silent = await victim.Get(f.AuthorizeUrl(null) + "&prompt=none");
        Assert.Null(HttpUser.Query(silent.Location, "code"));
        // The browser that started it completes it.
        var own = await attacker.Follow(await attacker.Get(atPortal.Location.ToString()));
        Assert.StartsWith(OidcFixture.Callback, own.Location!.ToString());
    }

    [Fact]
    public async Task Attributes_follow_the_provider_on_every_sign_in_and_the_sub_stays()
    {
        var login = "dave-" + Guid.NewGuid().ToString("n")[..6];
        using var user = f.NewUser();
        var first = await f.Redeem(HttpUser.Query((await user.SignIn(f.AuthorizeUrl("CorpIdP"), login)).Location, "code")!);
        await f.Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = f.PoolId, Username = $"CorpIdP_{login}", UserAttributes = [new() { Name = "given_name", Value = "Changed" }],
        });
        using var again = f.NewUser();
        var second = await f.Redeem(HttpUser.Query((await again.SignIn(f.AuthorizeUrl("CorpIdP"), login)).Location, "code")!);
        var (a, b) = (OidcFixture.Payload(first.GetProperty("id_token").GetString()!), OidcFixture.Payload(second.GetProperty("id_token").GetString()!));
        Assert.Equal(a.GetProperty("sub").GetString(), b.GetProperty("sub").GetString());
        Assert.Equal("Test", b.GetProperty("given_name").GetString());
    }

    [Fact]
    public async Task Identifier_first_sends_an_email_of_a_claimed_domain_to_its_provider()
    {
        using var user = f.NewUser();
        var login = await user.Get($"{f.Server.BaseUrl}/{f.Domain}/login?client_id={f.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(OidcFixture.Callback)}");
        Assert.Contains("federation/identifier", login.Body);
        var token = System.Text.RegularExpressions.Regex.Match(login.Body, "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
        var form = new Dictionary<string, string> { ["identifier"] = "erin@CORP.example" };
        if (token.Success) form[token.Groups[1].Value] = token.Groups[2].Value;
        var step = await user.Follow(await user.Post(
            $"{f.Server.BaseUrl}/{f.Domain}/federation/identifier?client_id={f.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(OidcFixture.Callback)}",
            form), u => u.Port == f.Idp.Port);
        Assert.StartsWith(f.Idp.Issuer + "/auth", step.Location!.ToString());
        Assert.Equal("erin@CORP.example", HttpUser.Query(step.Location, "login_hint"));

        // Another domain stays with the password form, the email filled in.
        using var other = f.NewUser();
        var stay = await other.Post(
            $"{f.Server.BaseUrl}/{f.Domain}/federation/identifier?client_id={f.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(OidcFixture.Callback)}",
            new() { ["identifier"] = "frank@elsewhere.example" });
        Assert.Contains($"/{f.Domain}/login", stay.Location!.ToString());
        Assert.Equal("frank@elsewhere.example", HttpUser.Query(stay.Location, "login_hint"));
    }

    [Fact]
    public async Task Idp_identifier_on_authorize_picks_the_provider()
    {
        using var user = f.NewUser();
        var step = await user.Follow(await user.Get(f.AuthorizeUrl(provider: null, idpIdentifier: "corp.example")), u => u.Port == f.Idp.Port);
        Assert.StartsWith(f.Idp.Issuer + "/auth", step.Location!.ToString());
        Assert.Equal(f.Idp.ClientId, HttpUser.Query(step.Location, "client_id"));
        Assert.Equal(f.IdpResponseUrl, HttpUser.Query(step.Location, "redirect_uri"));
        Assert.NotNull(HttpUser.Query(step.Location, "nonce"));
        Assert.Equal("S256", HttpUser.Query(step.Location, "code_challenge_method"));
    }

    [Fact]
    public async Task After_a_federated_sign_in_the_hosted_ui_session_signs_in_without_the_provider()
    {
        var login = "gus-" + Guid.NewGuid().ToString("n")[..6];
        using var user = f.NewUser();
        await user.SignIn(f.AuthorizeUrl("CorpIdP"), login);
        var step = await user.Follow(await user.Get(f.AuthorizeUrl(provider: null)));
        Assert.StartsWith(OidcFixture.Callback, step.Location!.ToString());
        var tokens = await f.Redeem(HttpUser.Query(step.Location, "code")!);
        Assert.Equal($"CorpIdP_{login}", OidcFixture.Payload(tokens.GetProperty("id_token").GetString()!).GetProperty("cognito:username").GetString());
    }

    [Fact]
    public async Task Pre_sign_up_runs_for_new_federated_users_with_the_external_provider_source_and_may_refuse()
    {
        await f.Cognito.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = f.PoolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Inline,
            // The pool is shared by the collection: only the "blocked" federated users are refused.
            Code = "exports.handler = async (event) => {" +
                   " if (event.userName.includes('blocked')) throw new Error(event.triggerSource + ' refused ' + event.request.userAttributes.email);" +
                   " return event; };",
        });
        var login = "blocked-" + Guid.NewGuid().ToString("n")[..6];
        using var user = f.NewUser();
        var refused = await user.SignIn(f.AuthorizeUrl("CorpIdP"), login);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains($"PreSignUp_ExternalProvider refused {login}@idp.example", HttpUser.Text(refused.Body));
        await Assert.ThrowsAsync<UserNotFoundException>(() => f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{login}" }));

        using var allowed = f.NewUser();
        var ok = await allowed.SignIn(f.AuthorizeUrl("CorpIdP"), "kim-" + Guid.NewGuid().ToString("n")[..6]);
        Assert.StartsWith(OidcFixture.Callback, ok.Location!.ToString());
    }
}
