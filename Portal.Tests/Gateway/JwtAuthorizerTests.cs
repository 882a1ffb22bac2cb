using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Gateway.JwtApi;
using Portal.Server.Storage;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>The JWT authorizer on tokens a real pool issued: what API Gateway's HTTP API JWT authorizer lets through
/// (200 with the claims), refuses as 401 (no, malformed, expired, revoked, foreign tokens) and as 403 (no route scope).</summary>
public sealed class JwtAuthorizerTests(PortalServer server) : IClassFixture<PortalServer>
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    async Task<(AuthKit.App App, AuthenticationResultType Tokens)> SignedIn()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "jill", attributes: ("email", "jill@example.com"));
        return (app, (await kit.PasswordSignIn(app, "jill")).AuthenticationResult!);
    }

    async Task<JwtAuthorization> Authorize(string? header, JwtAuthorizerSettings settings, TimeProvider? clock = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var authorizer = clock is null
            ? sp.GetRequiredService<JwtAuthorizer>()
            : new JwtAuthorizer(sp.GetRequiredService<PortalDb>(), sp.GetRequiredService<SigningKeys>(), sp.GetRequiredService<TokenRevocation>(),
                sp.GetRequiredService<Issuer>(), clock);
        return await authorizer.Authorize(header, settings, CancellationToken.None);
    }

    static JwtAuthorizerSettings For(AuthKit.App app, params string[] scopes) =>
        new() { UserPoolId = app.PoolId, Audience = [app.ClientId], Scopes = [.. scopes], CheckRevocation = true };

    [Fact]
    public async Task Access_and_id_tokens_of_the_configured_client_pass_with_their_claims()
    {
        var (app, tokens) = await SignedIn();

        var access = await Authorize("Bearer " + tokens.AccessToken, For(app));
        Assert.Equal(200, access.Status);
        Assert.Equal("access", access.Claims!["token_use"]!.GetValue<string>());
        Assert.Equal(app.ClientId, access.Claims["client_id"]!.GetValue<string>());
        Assert.Equal("jill", access.Caller);

        // API Gateway takes the token with or without the Bearer prefix.
        var id = await Authorize(tokens.IdToken, For(app));
        Assert.Equal(200, id.Status);
        Assert.Equal("jill@example.com", id.Claims!["email"]!.GetValue<string>());

        var headers = JwtClaimHeaders.For(id.Claims).ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal("jill@example.com", headers["x-amzn-jwt-claim-email"]);
        Assert.Equal("jill", headers["x-amzn-jwt-claim-cognito-username"]);
        Assert.Contains("\"email\":\"jill@example.com\"", headers["x-amzn-jwt-claims"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_malformed_and_foreign_tokens_are_401_Unauthorized()
    {
        var (app, tokens) = await SignedIn();
        var other = await kit.Pool();

        foreach (var header in new[] { null, "", "Bearer ", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer a.b.c", tokens.AccessToken![..^4] + "AAAA" })
        {
            var refused = await Authorize(header, For(app));
            Assert.Equal(401, refused.Status);
            Assert.Equal("""{"message":"Unauthorized"}""", refused.Body);
            Assert.Null(refused.Claims);
        }
        // Signed by another pool: its kid is not one of this pool's keys.
        Assert.Equal(401, (await Authorize(tokens.AccessToken, For(other))).Status);
        // The refresh token is not a JWT at all.
        Assert.Equal(401, (await Authorize(tokens.RefreshToken, For(app))).Status);
    }

    [Fact]
    public async Task Expired_tokens_are_401_with_an_invalid_token_challenge()
    {
        var (app, tokens) = await SignedIn();
        // Verified (and kept in memory) while it was valid; the expiry is still checked against the clock on every request.
        Assert.Equal(200, (await Authorize(tokens.AccessToken, For(app))).Status);
        var later = new FakeTimeProvider(server.Clock.GetUtcNow().AddHours(1).AddSeconds(1));

        var expired = await Authorize(tokens.AccessToken, For(app), later);

        Assert.Equal(401, expired.Status);
        Assert.Equal("expired", expired.Reason);
        Assert.Contains("error=\"invalid_token\"", expired.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Contains("the token has expired", expired.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_audience_is_401()
    {
        var (app, tokens) = await SignedIn();
        var otherClient = await kit.Client(app.PoolId);

        var settings = For(otherClient);
        Assert.Equal(401, (await Authorize(tokens.AccessToken, settings)).Status);
        Assert.Equal(401, (await Authorize(tokens.IdToken, settings)).Status);
        Assert.Equal(200, (await Authorize(tokens.AccessToken, settings with { Audience = [otherClient.ClientId, app.ClientId] })).Status);
    }

    [Fact]
    public async Task Route_scopes_need_one_of_them_in_the_token_else_403_Forbidden()
    {
        var (app, tokens) = await SignedIn();

        var forbidden = await Authorize(tokens.AccessToken, For(app, "notes/read"));
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("""{"message":"Forbidden"}""", forbidden.Body);
        Assert.Contains("insufficient_scope", forbidden.WwwAuthenticate, StringComparison.Ordinal);
        // ID tokens carry no scope: a scoped route refuses them.
        Assert.Equal(403, (await Authorize(tokens.IdToken, For(app, "notes/read"))).Status);

        Assert.Equal(200, (await Authorize(tokens.AccessToken, For(app, "notes/read", "aws.cognito.signin.user.admin"))).Status);
    }

    [Fact]
    public async Task Token_use_limits_which_tokens_pass()
    {
        var (app, tokens) = await SignedIn();
        var accessOnly = For(app) with { TokenUse = ["access"] };
        Assert.Equal(401, (await Authorize(tokens.IdToken, accessOnly)).Status);
        Assert.Equal(200, (await Authorize(tokens.AccessToken, accessOnly)).Status);
    }

    [Fact]
    public async Task Revoked_tokens_are_401_when_the_route_checks_revocation()
    {
        var (app, tokens) = await SignedIn();
        // Verified once before the revocation: the authorizer keeps a verified token in memory, but the revocation check
        // still runs on every request.
        Assert.Equal(200, (await Authorize(tokens.AccessToken, For(app))).Status);
        await kit.Anonymous.Send(new RevokeTokenRequest { ClientId = app.ClientId, Token = tokens.RefreshToken });

        var revoked = await Authorize(tokens.AccessToken, For(app));
        Assert.Equal(401, revoked.Status);
        Assert.Contains("revoked", revoked.Reason, StringComparison.Ordinal);
        Assert.Equal(401, (await Authorize(tokens.IdToken, For(app))).Status);
        // Without the check (API Gateway's own behaviour) a revoked token still passes until it expires.
        Assert.Equal(200, (await Authorize(tokens.AccessToken, For(app) with { CheckRevocation = false })).Status);

        var fresh = (await kit.PasswordSignIn(app, "jill")).AuthenticationResult!;
        await kit.Admin.Send(new AdminUserGlobalSignOutRequest { UserPoolId = app.PoolId, Username = "jill" });
        Assert.Equal(401, (await Authorize(fresh.AccessToken, For(app))).Status);
    }
}
