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

/// <summary>The OAuth endpoints answer as Cognito documents them (ID token only with openid, userInfo by scope, revocation
/// per RFC 7009, invalid_client as 401) and the authorization endpoint also takes POST, as OpenID Connect Core requires.</summary>
[Collection(ServerCollection.Name)]
public sealed class OAuthEndpointTests(PortalServer server)
{
    const string Callback = "https://app.example/callback";
    readonly AuthKit kit = new(server);

    sealed record Setup(string PoolId, string Domain, string Sub, AuthKit.App App);

    static CreateUserPoolClientRequest Confidential => new()
    {
        GenerateSecret = true, AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"],
        AllowedOAuthScopes = ["openid", "email", "profile", "aws.cognito.signin.user.admin"], CallbackURLs = [Callback],
        SupportedIdentityProviders = ["COGNITO"],
    };

    async Task<Setup> Start(CreateUserPoolClientRequest? client = null)
    {
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "tier", AttributeDataType = "String" }],
        }, client ?? Confidential);
        var domain = PortalServer.Unique("oauth");
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        await kit.User(app.PoolId, "alice", attributes: [("email", "alice@example.com"), ("given_name", "Alice"), ("custom:tier", "gold")]);
        return new Setup(app.PoolId, domain, (await kit.Row(app.PoolId, "alice")).Sub, app);
    }

    async Task<JsonElement> Tokens(Setup s, params string[] scopes)
    {
        string code;
        await using (var scope = server.Services.CreateAsyncScope())
            code = await scope.ServiceProvider.GetRequiredService<AuthorizationCodes>().Issue(s.PoolId, s.App.ClientId, s.Sub,
                new OAuthParameters { RedirectUri = Callback }, scopes, server.Clock.GetUtcNow(), CancellationToken.None);
        var answer = await Post(s, "oauth2/token", new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await Json(answer);
    }

    Task<HttpResponseMessage> Post(Setup s, string path, Dictionary<string, string> form, AuthKit.App? app = null)
    {
        app ??= s.App;
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}/{s.Domain}/{path}") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.ClientSecret}")));
        return kit.Http.SendAsync(request);
    }

    Task<HttpResponseMessage> UserInfo(Setup s, string access) => kit.UserInfo(s.Domain, access);

    static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task An_ID_token_comes_only_with_the_openid_scope()
    {
        var s = await Start();
        var admin = await Tokens(s, "aws.cognito.signin.user.admin");
        Assert.True(admin.TryGetProperty("access_token", out _));
        Assert.False(admin.TryGetProperty("id_token", out _));
        Assert.True((await Tokens(s, "openid", "email")).TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task UserInfo_needs_openid_and_reads_by_scope()
    {
        var s = await Start();
        var admin = await UserInfo(s, (await Tokens(s, "aws.cognito.signin.user.admin")).GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Equal("insufficient_scope", (await Json(admin)).GetProperty("error").GetString());

        // openid alone: every attribute the client may read.
        var all = await Json(await UserInfo(s, (await Tokens(s, "openid")).GetProperty("access_token").GetString()!));
        Assert.Equal(s.Sub, all.GetProperty("sub").GetString());
        Assert.Equal("alice", all.GetProperty("username").GetString());
        Assert.Equal("alice@example.com", all.GetProperty("email").GetString());
        Assert.Equal("Alice", all.GetProperty("given_name").GetString());
        Assert.Equal("gold", all.GetProperty("custom:tier").GetString());

        // openid email: the email group only.
        var email = await Json(await UserInfo(s, (await Tokens(s, "openid", "email")).GetProperty("access_token").GetString()!));
        Assert.Equal("alice@example.com", email.GetProperty("email").GetString());
        Assert.False(email.TryGetProperty("given_name", out _));

        // openid profile: the profile group and the custom attributes.
        var profile = await Json(await UserInfo(s, (await Tokens(s, "openid", "profile")).GetProperty("access_token").GetString()!));
        Assert.Equal("Alice", profile.GetProperty("given_name").GetString());
        Assert.Equal("gold", profile.GetProperty("custom:tier").GetString());
        Assert.False(profile.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Revoke_answers_200_for_an_unknown_token_and_invalid_request_when_revocation_is_off()
    {
        var s = await Start();
        foreach (var token in new[] { "not-a-token", Guid.NewGuid().ToString("N") + "." + Guid.NewGuid().ToString("N") })
        {
            var unknown = await Post(s, "oauth2/revoke", new() { ["token"] = token });
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        }

        var off = await kit.Client(s.PoolId, Confidential with { ClientName = "no-revocation", EnableTokenRevocation = false });
        var refused = await Post(s, "oauth2/revoke", new() { ["token"] = "anything" }, off);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request", (await Json(refused)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_token_request_without_a_code_is_invalid_request()
    {
        var s = await Start();
        var answer = await Post(s, "oauth2/token", new() { ["grant_type"] = "authorization_code", ["redirect_uri"] = Callback });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("invalid_request", (await Json(answer)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_client_that_fails_to_authenticate_gets_401_with_WWW_Authenticate()
    {
        var s = await Start();
        // client_secret_post with a wrong secret: RFC 6749 §5.2 answers 401 whatever the method.
        var answer = await kit.Http.PostAsync($"{server.BaseUrl}/{s.Domain}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = "x", ["client_id"] = s.App.ClientId, ["client_secret"] = "wrong",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.NotEmpty(answer.Headers.WwwAuthenticate);
        Assert.Equal("invalid_client", (await Json(answer)).GetProperty("error").GetString());

        var unknown = await kit.Http.PostAsync($"{server.BaseUrl}/{s.Domain}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = "x", ["client_id"] = "nosuchclient",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.NotEmpty(unknown.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Discovery_publishes_the_PKCE_methods()
    {
        var s = await Start();
        var doc = await Json(await kit.Http.GetAsync($"{server.BaseUrl}/{s.PoolId}/.well-known/openid-configuration"));
        Assert.Equal(["S256"], doc.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_authorization_endpoint_takes_POST_as_OpenID_Connect_requires()
    {
        var s = await Start();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        var answer = await http.PostAsync($"/{s.Domain}/oauth2/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = s.App.ClientId, ["redirect_uri"] = Callback, ["scope"] = "openid", ["state"] = "st",
        }));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var location = answer.Headers.Location!.ToString();
        Assert.StartsWith($"/{s.Domain}/oauth2/authorize?", location, StringComparison.Ordinal);
        // Followed, it is the GET it stands for: the sign-in page with the same parameters.
        var get = await http.GetAsync(location);
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        var login = get.Headers.Location!.ToString();
        Assert.Contains($"/{s.Domain}/login?", login, StringComparison.Ordinal);
        Assert.Contains($"client_id={s.App.ClientId}", login, StringComparison.Ordinal);
        Assert.Contains("state=st", login, StringComparison.Ordinal);
    }
}
