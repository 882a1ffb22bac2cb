using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>GetTokensFromRefreshToken (the refresh Amplify v6 uses) and refresh token rotation over the wire: the errors
/// Cognito answers, single use decided by the database, and a rotated token that comes back after its grace period.</summary>
[Collection(ServerCollection.Name)]
public sealed class RefreshTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    static CreateUserPoolClientRequest Rotating(int grace) => new()
    {
        RefreshTokenRotation = new RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = grace },
    };

    Task<GetTokensFromRefreshTokenResponse> Refresh(AuthKit.App app, string refreshToken, string? secret = null) =>
        kit.Anonymous.Send(new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = refreshToken, ClientSecret = secret });

    [Fact]
    public async Task GetTokensFromRefreshToken_issues_new_ID_and_access_tokens_and_answers_Cognito_errors()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "gina");
        var signedIn = (await kit.PasswordSignIn(app, "gina")).AuthenticationResult!;

        var refreshed = (await Refresh(app, signedIn.RefreshToken!)).AuthenticationResult!;
        Assert.NotEqual(signedIn.AccessToken, refreshed.AccessToken);
        Assert.Equal("gina", AuthKit.Claims(refreshed.IdToken!).GetProperty("cognito:username").GetString());
        Assert.Equal(AuthKit.Claims(signedIn.AccessToken!).GetProperty("origin_jti").GetString(),
            AuthKit.Claims(refreshed.AccessToken!).GetProperty("origin_jti").GetString());
        Assert.Null(refreshed.RefreshToken);   // rotation off: the refresh token stays
        await kit.Anonymous.Send(new GetUserRequest { AccessToken = refreshed.AccessToken });

        var other = await kit.Client(app.PoolId);
        var wrongClient = await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(other, signedIn.RefreshToken!));
        Assert.Equal("Invalid Refresh Token", wrongClient.Message);

        // Disabled without the sign-out AdminDisableUser also does (an operator's direct change).
        await kit.Change(app.PoolId, "gina", u => u.Enabled = false);
        Assert.Equal("User is disabled.", (await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(app, signedIn.RefreshToken!))).Message);
        await kit.Change(app.PoolId, "gina", u => u.Enabled = true);

        var hash = Tokens.Hash(signedIn.RefreshToken!);
        await kit.Db(db => db.RefreshTokens.Where(r => r.TokenHash == hash).ExecuteUpdateAsync(u => u.SetProperty(r => r.ExpiresAt, DateTimeOffset.UnixEpoch)));
        Assert.Equal("Refresh Token has expired", (await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(app, signedIn.RefreshToken!))).Message);

        var again = (await kit.PasswordSignIn(app, "gina")).AuthenticationResult!;
        await kit.Anonymous.Send(new RevokeTokenRequest { ClientId = app.ClientId, Token = again.RefreshToken });
        Assert.Equal("Refresh Token has been revoked", (await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(app, again.RefreshToken!))).Message);
    }

    [Fact]
    public async Task A_client_with_a_secret_must_send_it()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { GenerateSecret = true });
        await kit.User(app.PoolId, "sven");
        var signedIn = (await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH",
            AuthParameters = AuthKit.WithSecretHash(app, "sven", new() { ["USERNAME"] = "sven", ["PASSWORD"] = AuthKit.Password }),
        })).AuthenticationResult!;

        var missing = await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(app, signedIn.RefreshToken!));
        Assert.Equal($"Client {app.ClientId} is configured for secret but secret was not received", missing.Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(app, signedIn.RefreshToken!, new string('x', 40)));
        Assert.NotNull((await Refresh(app, signedIn.RefreshToken!, app.ClientSecret)).AuthenticationResult!.AccessToken);
    }

    [Fact]
    public async Task Rotating_clients_refuse_REFRESH_TOKEN_AUTH_as_Cognito_documents()
    {
        var app = await kit.Pool(client: Rotating(0));
        await kit.User(app.PoolId, "rory");
        var signedIn = (await kit.PasswordSignIn(app, "rory")).AuthenticationResult!;
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = signedIn.RefreshToken! },
        }));
        Assert.Equal(SignIn.RotatingClientRefresh, e.Message);
    }

    [Fact]
    public async Task Reuse_after_the_grace_period_is_refused_recorded_and_kills_the_family()
    {
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" },
        }, Rotating(0));
        await kit.User(app.PoolId, "theo");
        var first = (await kit.PasswordSignIn(app, "theo")).AuthenticationResult!.RefreshToken!;
        var rotated = (await Refresh(app, first)).AuthenticationResult!;

        // The attacker replays the stolen, already rotated token.
        await Assert.ThrowsAsync<RefreshTokenReuseException>(() => Refresh(app, first));
        // The whole family is gone: the legitimate holder's new refresh token and its access token.
        Assert.Equal("Refresh Token has been revoked",
            (await Assert.ThrowsAsync<NotAuthorizedException>(() => Refresh(app, rotated.RefreshToken!))).Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = rotated.AccessToken }));

        var events = await kit.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = app.PoolId, Username = "theo" });
        Assert.Contains(events.AuthEvents!, e => e.EventType == "SignIn" && e.EventResponse == "Fail");
    }

    [Fact]
    public async Task Two_concurrent_refreshes_of_one_token_rotate_it_once()
    {
        var app = await kit.Pool(client: Rotating(0));
        await kit.User(app.PoolId, "cora");
        var first = (await kit.PasswordSignIn(app, "cora")).AuthenticationResult!.RefreshToken!;
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                return (await Refresh(app, first)).AuthenticationResult!.RefreshToken;
            }
            catch (CognitoException)
            {
                return null;
            }
        }));
        Assert.Single(attempts, t => t is not null);
    }

    [Fact]
    public async Task The_token_endpoint_rotates_and_a_replayed_token_is_invalid_grant_and_kills_the_family()
    {
        var app = await kit.Pool(client: Rotating(0) with
        {
            AllowedOAuthFlows = ["code"],
            AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid"],
            CallbackURLs = ["https://app.example/callback"],
        });
        var domain = $"rot{Guid.NewGuid():n}"[..20];
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        await kit.User(app.PoolId, "otto");
        var first = (await kit.PasswordSignIn(app, "otto")).AuthenticationResult!.RefreshToken!;

        async Task<(HttpStatusCode Status, JsonNode Body)> Grant(string refreshToken)
        {
            using var http = new HttpClient();
            var response = await http.PostAsync($"{server.BaseUrl}/{domain}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = refreshToken,
            }));
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }

        var (status, body) = await Grant(first);
        Assert.Equal(HttpStatusCode.OK, status);
        var second = body["refresh_token"]!.ToString();
        Assert.NotEqual(first, second);

        var (replayStatus, replay) = await Grant(first);
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal("invalid_grant", replay["error"]!.ToString());
        var (afterStatus, after) = await Grant(second);
        Assert.Equal(HttpStatusCode.BadRequest, afterStatus);
        Assert.Equal("invalid_grant", after["error"]!.ToString());
    }
}

/// <summary>The retry grace period of rotation, on a server whose clock the test moves.</summary>
[Collection(ClockedCollection.Name)]
public sealed class ClockedRefreshTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    [Fact]
    public async Task A_rotated_token_works_within_the_grace_period_only()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { RefreshTokenRotation = new RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = 10 } });
        await kit.User(app.PoolId, "gabe");
        var first = (await kit.PasswordSignIn(app, "gabe")).AuthenticationResult!.RefreshToken!;
        var second = (await kit.Anonymous.Send(new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = first })).AuthenticationResult!.RefreshToken!;
        Assert.NotEqual(first, second);
        // A client retrying a lost answer within the grace period.
        Assert.NotNull((await kit.Anonymous.Send(new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = first })).AuthenticationResult!.RefreshToken);
        server.Clock.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<RefreshTokenReuseException>(() => kit.Anonymous.Send(new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = first }));
    }
}
