using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Facebook's Graph API (<c>/debug_token</c>) and Login with Amazon's (<c>/auth/o2/tokeninfo</c>) as they answer,
/// on loopback, for the tokens a test hands out.</summary>
public sealed class SocialProviderApi : IDisposable
{
    readonly WebApplication app;
    public int Port { get; } = PortalServer.FreePort();
    public string Url => $"http://127.0.0.1:{Port}";
    /// <summary>Facebook tokens: app id, user id, expires_at (unix seconds), valid.</summary>
    public Dictionary<string, (string App, string User, long ExpiresAt, bool Valid)> Facebook { get; } = [];
    /// <summary>Amazon tokens: aud (client id), user id, seconds left.</summary>
    public Dictionary<string, (string Aud, string User, long SecondsLeft)> Amazon { get; } = [];

    public SocialProviderApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        app = builder.Build();
        app.MapGet("/debug_token", (string input_token, string access_token) =>
        {
            if (!Facebook.TryGetValue(access_token, out _))
                return Results.Json(new { error = new { message = "Invalid OAuth access token - Cannot parse access token", type = "OAuthException", code = 190 } }, statusCode: 400);
            if (!Facebook.TryGetValue(input_token, out var t))
                return Results.Json(new { data = new { is_valid = false, error = new { code = 190, message = "Invalid OAuth access token." } } });
            return Results.Json(new { data = new { app_id = t.App, type = "USER", application = "Test app", expires_at = t.ExpiresAt, is_valid = t.Valid, scopes = new[] { "public_profile" }, user_id = t.User } });
        });
        app.MapGet("/auth/o2/tokeninfo", (string access_token) => Amazon.TryGetValue(access_token, out var t)
            ? Results.Json(new { iss = "https://www.amazon.com", user_id = t.User, aud = t.Aud, app_id = "amzn1.application.test", exp = t.SecondsLeft, iat = 1 })
            : Results.Json(new { error = "invalid_token", error_description = "The access token provided is expired, revoked, malformed, or invalid for other reasons." }, statusCode: 400));
        app.StartAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)app).Dispose();
    }
}

/// <summary>A Portal whose social token endpoints are the test's <see cref="SocialProviderApi"/>.</summary>
public sealed class SocialLoginServer : PortalServer
{
    public SocialProviderApi Api { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:IdentityPools:Social:FacebookGraphUrl"] = Api.Url,
        ["Portal:IdentityPools:Social:AmazonApiUrl"] = Api.Url,
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Api.Dispose();
    }
}

/// <summary>Facebook and Amazon logins checked with the providers' own token-info APIs; Twitter refused honestly.</summary>
public sealed class SocialLoginTests(SocialLoginServer server) : IClassFixture<SocialLoginServer>
{
    readonly IdentityKit kit = new(server);
    const string FacebookApp = "1234567890", AmazonClient = "amzn1.application-oa2-client.test";

    [Fact]
    public async Task Facebook_and_Amazon_tokens_name_the_providers_users_and_bad_ones_are_refused()
    {
        var pool = (await kit.Pool(null, social: new() { ["graph.facebook.com"] = FacebookApp, ["www.amazon.com"] = AmazonClient, ["api.twitter.com"] = "key;secret" })).IdentityPoolId!;
        var now = server.Clock.GetUtcNow().ToUnixTimeSeconds();
        var api = server.Api;
        api.Facebook["EAAB-alice"] = (FacebookApp, "10001", now + 3600, true);
        api.Facebook["EAAB-other-app"] = ("999", "10002", now + 3600, true);
        api.Facebook["EAAB-expired"] = (FacebookApp, "10003", now - 10, true);
        api.Facebook["EAAB-revoked"] = (FacebookApp, "10004", now + 3600, false);
        api.Amazon["Atza|alice"] = (AmazonClient, "amzn1.account.ALICE", 3000);
        api.Amazon["Atza|other"] = ("amzn1.application-oa2-client.other", "amzn1.account.BOB", 3000);
        api.Amazon["Atza|expired"] = (AmazonClient, "amzn1.account.CAROL", 0);

        var facebook = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { ["graph.facebook.com"] = "EAAB-alice" } })).IdentityId!;
        Assert.Equal(facebook, (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { ["graph.facebook.com"] = "EAAB-alice" } })).IdentityId);
        Assert.Equal(["graph.facebook.com"], (await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = facebook })).Logins);
        var amazon = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { ["www.amazon.com"] = "Atza|alice" } })).IdentityId!;
        Assert.NotEqual(facebook, amazon);
        Assert.Equal(["www.amazon.com"], (await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = amazon })).Logins);
        // The login proves the identity for its OpenID token, whose amr names the provider and the user.
        var token = (await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = facebook, Logins = new() { ["graph.facebook.com"] = "EAAB-alice" } })).Token!;
        Assert.Equal(["authenticated", "graph.facebook.com", "graph.facebook.com:10001"], IdentityKit.Claims(token).GetProperty("amr").EnumerateArray().Select(a => a.GetString()));

        foreach (var (key, bad, message) in new[]
                 {
                     ("graph.facebook.com", "EAAB-other-app", "Invalid login token. Incorrect token audience."),
                     ("graph.facebook.com", "EAAB-expired", "Invalid login token. Token expired."),
                     ("graph.facebook.com", "EAAB-revoked", "Invalid login token. The Facebook token is not valid."),
                     ("graph.facebook.com", "EAAB-unknown", "Invalid login token. The Facebook token is not valid."),
                     ("www.amazon.com", "Atza|other", "Invalid login token. Incorrect token audience."),
                     ("www.amazon.com", "Atza|expired", "Invalid login token. Token expired."),
                     ("www.amazon.com", "Atza|unknown", "Invalid login token. The Amazon token is not valid."),
                 })
        {
            var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [key] = bad } }));
            Assert.Equal(message, e.Message);
        }
        // Twitter's token;secret can only be checked by Twitter's API with the consumer secret: refused, saying so.
        var twitter = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest
        {
            IdentityPoolId = pool, Logins = new() { ["api.twitter.com"] = "12345-token;secret" },
        }));
        Assert.StartsWith("Invalid login token. Twitter", twitter.Message);
        // A pool that does not list Facebook refuses its tokens without asking Facebook.
        var other = (await kit.Pool(null)).IdentityPoolId!;
        var unsupported = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = other, Logins = new() { ["graph.facebook.com"] = "EAAB-alice" } }));
        Assert.Equal("Token is not from a supported provider of this identity pool.", unsupported.Message);
    }
}
