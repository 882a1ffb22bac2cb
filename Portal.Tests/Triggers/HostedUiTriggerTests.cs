using System.Net;
using System.Text.RegularExpressions;
using Portal.Client.Contract;

namespace Portal.Tests.TriggerEngine;

/// <summary>The hosted sign-in page runs the same authentication triggers as the API: pre authentication can refuse with
/// its message on the page, user migration creates the user on first sign-in, post authentication sees the sign-in.</summary>
[Collection(TriggerCollection.Name)]
public sealed class HostedUiTriggerTests(TriggerServer server)
{
    const string Callback = "https://app.example/callback";

    async Task<(string PoolId, string Domain, string ClientId)> HostedPool()
    {
        var (poolId, _) = await server.CreatePool();
        var domain = TriggerServer.Unique("h").ToLowerInvariant();
        await server.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        var client = await server.Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "web", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"],
            AllowedOAuthScopes = ["openid", "email"], CallbackURLs = [Callback], SupportedIdentityProviders = ["COGNITO"],
        });
        return (poolId, domain, client.UserPoolClient!.ClientId!);
    }

    async Task<HttpResponseMessage> SignIn((string PoolId, string Domain, string ClientId) p, string username, string password)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var url = $"{server.BaseUrl}/{p.Domain}/login?client_id={p.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(Callback)}"
                  + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        var page = await http.GetStringAsync(url);
        var token = Regex.Match(page, "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
        var form = new Dictionary<string, string> { ["username"] = username, ["password"] = password };
        if (token.Success) form[token.Groups[1].Value] = token.Groups[2].Value;
        var response = await http.PostAsync(url, new FormUrlEncodedContent(form));
        return response;
    }

    [Fact]
    public async Task Pre_authentication_refusal_is_shown_on_the_page_and_post_authentication_sees_good_sign_ins()
    {
        var p = await HostedPool();
        await server.PutInline(p.PoolId, "PreAuthentication", """
            exports.handler = async (event) => {
              if (event.userName.startsWith("blocked")) throw new Error("Sign-ins from this account are paused");
              return event;
            };
            """);
        await server.PutInline(p.PoolId, "PostAuthentication", "exports.handler = async (event) => event;");
        foreach (var name in new[] { "blocked-user", "welcome-user" })
        {
            await server.Admin.Send(new AdminCreateUserRequest { UserPoolId = p.PoolId, Username = name, MessageAction = "SUPPRESS" });
            await server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = p.PoolId, Username = name, Password = "Passw0rd!x", Permanent = true });
        }

        var refused = await SignIn(p, "blocked-user", "Passw0rd!x");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode); // the form again, with the reason
        Assert.Contains("PreAuthentication failed with error Sign-ins from this account are paused.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));

        var signed = await SignIn(p, "welcome-user", "Passw0rd!x");
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        Assert.StartsWith(Callback + "?code=", signed.Headers.Location!.ToString());
        var post = await server.Invocations(p.PoolId, "PostAuthentication");
        Assert.Single(post);
        Assert.Equal("welcome-user", post[0].UserName);
    }

    [Fact]
    public async Task User_migration_creates_the_user_on_first_hosted_sign_in()
    {
        var p = await HostedPool();
        await server.PutInline(p.PoolId, "UserMigration", """
            exports.handler = async (event) => {
              if (event.request.password !== "Legacy-Passw0rd") throw new Error("Bad password");
              event.response.userAttributes = { email: event.userName + "@legacy.example", email_verified: "true" };
              event.response.finalUserStatus = "CONFIRMED";
              event.response.messageAction = "SUPPRESS";
              return event;
            };
            """);

        var wrong = await SignIn(p, "olduser", "Wrong-Passw0rd");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("UserMigration failed with error Bad password.", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        await Assert.ThrowsAsync<UserNotFoundException>(() => server.Admin.Send(new AdminGetUserRequest { UserPoolId = p.PoolId, Username = "olduser" }));

        var signed = await SignIn(p, "olduser", "Legacy-Passw0rd");
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        Assert.StartsWith(Callback + "?code=", signed.Headers.Location!.ToString());
        var user = await server.Admin.Send(new AdminGetUserRequest { UserPoolId = p.PoolId, Username = "olduser" });
        Assert.Equal("CONFIRMED", user.UserStatus);
        Assert.Contains(user.UserAttributes!, a => a.Name == "email" && a.Value == "olduser@legacy.example");
    }
}
