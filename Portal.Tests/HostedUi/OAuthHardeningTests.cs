using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.HostedUi;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>The token and revocation endpoints attacked as a conformance run does: replayed and raced codes, PKCE
/// downgrade, revoking another client's token.</summary>
[Collection(ServerCollection.Name)]
public sealed class OAuthHardeningTests(PortalServer server)
{
    const string Callback = "https://app.example/callback";
    readonly AuthKit kit = new(server);

    sealed record Setup(string PoolId, string Domain, string Sub, AuthKit.App App, AuthKit.App Other);

    async Task<Setup> Start()
    {
        var client = new CreateUserPoolClientRequest
        {
            GenerateSecret = true, AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"],
            AllowedOAuthScopes = ["openid", "email", "aws.cognito.signin.user.admin"], CallbackURLs = [Callback],
            SupportedIdentityProviders = ["COGNITO"],
        };
        var app = await kit.Pool(client: client);
        var other = await kit.Client(app.PoolId, client with { ClientName = "other" });
        var domain = PortalServer.Unique("oauth");
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        await kit.User(app.PoolId, "alice", attributes: [("email", "alice@example.com")]);
        return new Setup(app.PoolId, domain, (await kit.Row(app.PoolId, "alice")).Sub, app, other);
    }

    /// <summary>A code as the hosted UI hands it to the app after sign-in.</summary>
    async Task<string> Code(Setup s, string? challenge = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var codes = scope.ServiceProvider.GetRequiredService<AuthorizationCodes>();
        return await codes.Issue(s.PoolId, s.App.ClientId, s.Sub, new OAuthParameters { RedirectUri = Callback, CodeChallenge = challenge },
            ["openid", "email", "aws.cognito.signin.user.admin"], DateTimeOffset.UtcNow, CancellationToken.None);
    }

    Task<HttpResponseMessage> Token(Setup s, AuthKit.App app, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}/{s.Domain}/oauth2/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.ClientSecret}")));
        return kit.Http.SendAsync(request);
    }

    Task<HttpResponseMessage> Redeem(Setup s, string code, string? verifier = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback };
        if (verifier is not null) form["code_verifier"] = verifier;
        return Token(s, s.App, form);
    }

    static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task A_code_raced_by_parallel_token_requests_is_redeemed_exactly_once()
    {
        var s = await Start();
        var code = await Code(s);
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Redeem(s, code)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("invalid_grant", (await Json(refused)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task A_code_issued_without_a_challenge_is_refused_when_redeemed_with_a_verifier()
    {
        var s = await Start();
        var answer = await Redeem(s, await Code(s), verifier: new string('v', 64));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("invalid_grant", (await Json(answer)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_code_redeemed_twice_revokes_the_tokens_of_its_first_redemption()
    {
        var s = await Start();
        var code = await Code(s);
        var first = await Json(await Redeem(s, code));
        var (access, refresh) = (first.GetProperty("access_token").GetString()!, first.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await UserInfo(s, access)).StatusCode);

        var replay = await Redeem(s, code);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await Json(replay)).GetProperty("error").GetString());

        var refreshed = await Token(s, s.App, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (await Json(refreshed)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfo(s, access)).StatusCode);
        var getUser = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = access }));
        Assert.Contains("revoked", getUser.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_client_cannot_revoke_a_refresh_token_and_the_token_stays_valid()
    {
        var s = await Start();
        var refresh = (await Json(await Redeem(s, await Code(s)))).GetProperty("refresh_token").GetString()!;

        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}/{s.Domain}/oauth2/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refresh }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{s.Other.ClientId}:{s.Other.ClientSecret}")));
        var revoked = await kit.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, revoked.StatusCode);
        Assert.Equal("unauthorized_client", (await Json(revoked)).GetProperty("error").GetString());

        var refreshed = await Token(s, s.App, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    Task<HttpResponseMessage> UserInfo(Setup s, string access) => kit.UserInfo(s.Domain, access);
}
