using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>A backend that keeps every request it receives (path and headers) and answers 200 with them as JSON.</summary>
public sealed class RecordingBackend : IAsyncDisposable
{
    readonly WebApplication app;
    public int Port { get; } = PortalServer.FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<(string Path, Dictionary<string, string> Headers)> Received { get; } = new();

    public RecordingBackend()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        app = builder.Build();
        app.Run(async http =>
        {
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            Received.Enqueue((http.Request.Path.Value + http.Request.QueryString.Value, headers));
            await http.Response.WriteAsJsonAsync(headers);
        });
        app.StartAsync().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>A JwtApi route end to end: a backend behind it receives the claims of a valid token, and nothing at all for an
/// expired, revoked, wrong-audience or wrong-scope token, which get API Gateway's 401 and 403 answers.</summary>
public sealed class JwtApiRouteTests(PortalServer server) : IClassFixture<PortalServer>, IAsyncLifetime
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);
    readonly RecordingBackend backend = new();
    readonly HttpClient http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        http.Dispose();
        await backend.DisposeAsync();
    }

    async Task<string> Route(AuthKit.App app, Dictionary<string, string> extra)
    {
        var id = PortalServer.Unique("jwt");
        var settings = new Dictionary<string, string> { ["UserPoolId"] = app.PoolId, ["Audience"] = app.ClientId, ["CheckRevocation"] = "true" };
        foreach (var (k, v) in extra) settings[k] = v;
        await kit.Admin.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType { Id = id, Kind = GatewayRouteKinds.JwtApi, PathPrefix = "/" + id, Backend = backend.BaseUrl, Settings = settings },
        });
        return $"{server.BaseUrl}/{id}";
    }

    async Task<HttpResponseMessage> Get(string url, string? token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", token);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }

    async Task<(AuthKit.App App, AuthenticationResultType Tokens)> SignedIn()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "jules", attributes: ("email", "jules@example.com"));
        return (app, (await kit.PasswordSignIn(app, "jules")).AuthenticationResult!);
    }

    [Fact]
    public async Task The_backend_receives_the_claims_of_a_valid_token_and_never_the_callers_own()
    {
        var (app, tokens) = await SignedIn();
        var url = await Route(app, new() { ["Scopes"] = "aws.cognito.signin.user.admin" });

        using var response = await Get($"{url}/notes?x=1", "Bearer " + tokens.AccessToken, ("x-amzn-jwt-claim-sub", "forged"), ("X-Amzn-Jwt-Claims", "{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (path, headers) = Assert.Single(backend.Received);
        Assert.EndsWith("/notes?x=1", path, StringComparison.Ordinal);
        var sub = AuthKit.Claims(tokens.AccessToken!).GetProperty("sub").GetString();
        Assert.Equal(sub, headers["x-amzn-jwt-claim-sub"]);
        Assert.Equal("jules", headers["x-amzn-jwt-claim-username"]);
        Assert.Equal(app.ClientId, headers["x-amzn-jwt-claim-client_id"]);
        Assert.Equal(sub, JsonDocument.Parse(headers["x-amzn-jwt-claims"]).RootElement.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Expired_revoked_wrong_audience_and_wrong_scope_tokens_reach_nothing()
    {
        var (app, tokens) = await SignedIn();
        var url = await Route(app, new());
        var scoped = await Route(app, new() { ["Scopes"] = "notes/write" });
        var other = await kit.Client(app.PoolId);
        var otherTokens = (await kit.PasswordSignIn(other, "jules")).AuthenticationResult!;
        var revoked = (await kit.PasswordSignIn(app, "jules")).AuthenticationResult!;
        await kit.Anonymous.Send(new RevokeTokenRequest { ClientId = app.ClientId, Token = revoked.RefreshToken });

        async Task Refused(HttpStatusCode status, string body, string target, string? token)
        {
            using var response = await Get(target + "/notes", token);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
        await Refused(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}""", url, null);
        await Refused(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}""", url, "Bearer x.y.z");
        await Refused(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}""", url, "Bearer " + otherTokens.AccessToken);
        await Refused(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}""", url, "Bearer " + revoked.AccessToken);
        await Refused(HttpStatusCode.Forbidden, """{"message":"Forbidden"}""", scoped, "Bearer " + tokens.AccessToken);
        await Refused(HttpStatusCode.Unauthorized, "{\"message\":\"Unauthorized\"}", url, "Bearer " + new string('a', 20000));
        // An hour and a second later the token has expired.
        server.Clock.Advance(TimeSpan.FromSeconds(3601));
        await Refused(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}""", url, "Bearer " + tokens.AccessToken);

        Assert.Empty(backend.Received);
    }
}
