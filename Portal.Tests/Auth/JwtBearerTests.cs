using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>An API behind a gateway, validating Portal's tokens with the standard ASP.NET Core JWT bearer handler
/// pointed at the pool's discovery document, exactly as it would be pointed at Cognito.</summary>
public sealed class ProtectedApi : IAsyncDisposable
{
    readonly WebApplication app;
    readonly HttpClient http;

    ProtectedApi(WebApplication app, string url)
    {
        this.app = app;
        http = new HttpClient { BaseAddress = new Uri(url) };
    }

    /// <param name="issuer">The pool's issuer, <c>{base}/{poolId}</c>: its discovery document is under it.</param>
    public static async Task<ProtectedApi> Start(string issuer)
    {
        var url = $"http://127.0.0.1:{PortalServer.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = issuer;
            o.RequireHttpsMetadata = false;
            o.MapInboundClaims = false;
            // Cognito access tokens carry client_id, not aud.
            o.TokenValidationParameters.ValidateAudience = false;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (ClaimsPrincipal user) => $"{user.FindFirst("sub")?.Value} {user.FindFirst("token_use")?.Value}").RequireAuthorization();
        await app.StartAsync();
        return new ProtectedApi(app, url);
    }

    public async Task<(HttpStatusCode Status, string Body, string Challenge)> Call(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.WwwAuthenticate.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

[Collection(ServerCollection.Name)]
public sealed class JwtBearerTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    [Fact]
    public async Task The_api_accepts_Portals_access_token_and_refuses_a_tampered_one()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "alice");
        var sub = (await kit.Row(app.PoolId, "alice")).Sub;
        var tokens = (await kit.SrpSignIn(app, "alice")).AuthenticationResult!;
        await using var api = await ProtectedApi.Start($"{server.BaseUrl}/{app.PoolId}");

        var ok = await api.Call(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal($"{sub} access", ok.Body);
        Assert.Equal(HttpStatusCode.OK, (await api.Call(tokens.IdToken)).Status);

        var parts = tokens.AccessToken!.Split('.');
        var claims = AuthKit.Claims(tokens.AccessToken).GetRawText().Replace(sub, Guid.NewGuid().ToString());
        var tampered = $"{parts[0]}.{Jwt.Base64Url(System.Text.Encoding.UTF8.GetBytes(claims))}.{parts[2]}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Call(tampered)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Call(null)).Status);

        // A token of another pool names another issuer.
        var other = await kit.Pool();
        await kit.User(other.PoolId, "alice");
        var foreign = (await kit.PasswordSignIn(other, "alice")).AuthenticationResult!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Call(foreign.AccessToken)).Status);
    }

    [Fact]
    public async Task Key_rotation_keeps_tokens_signed_with_the_old_key_valid()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "bob");
        var before = (await kit.PasswordSignIn(app, "bob")).AuthenticationResult!;
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SigningKeys>().Rotate(app.PoolId, CancellationToken.None);
        var after = (await kit.PasswordSignIn(app, "bob")).AuthenticationResult!;
        Assert.NotEqual(AuthKit.Header(before.AccessToken!).GetProperty("kid").GetString(),
            AuthKit.Header(after.AccessToken!).GetProperty("kid").GetString());

        await using var api = await ProtectedApi.Start($"{server.BaseUrl}/{app.PoolId}");
        Assert.Equal(HttpStatusCode.OK, (await api.Call(before.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Call(after.AccessToken)).Status);
    }
}

[Collection(ClockedCollection.Name)]
public sealed class ExpiredJwtBearerTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    [Fact]
    public async Task The_api_refuses_an_expired_access_token()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "carl");
        // The clocked Portal lives days in the past: its hour-long tokens are long expired for the API.
        Assert.True(server.Clock.GetUtcNow() < DateTimeOffset.UtcNow.AddHours(-2));
        var tokens = (await kit.PasswordSignIn(app, "carl")).AuthenticationResult!;
        await using var api = await ProtectedApi.Start($"{server.BaseUrl}/{app.PoolId}");
        var refused = await api.Call(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("expired", refused.Challenge);
    }
}
