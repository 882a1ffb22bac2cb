using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Testing;

namespace Portal.Tests.Testing;

/// <summary>Portal on PostgreSQL with testing mode on (Development), for the reset's statements on that provider.</summary>
public sealed class PostgresTestingServer : TestingServer
{
    protected override bool OnPostgres => true;
}

[CollectionDefinition(Name)]
public sealed class PostgresTestingCollection : ICollectionFixture<PostgresTestingServer>
{
    public const string Name = "testing-mode-postgres";
}

/// <summary>Issue 21: a reset empties every table of the pool's users and sessions in one batch of statements, on SQLite
/// and on PostgreSQL. Two pools get the same rows of every kind (a group membership, a linked identity, a refresh token
/// and auth events from a sign-in, a challenge's session, an authorization code, a forgot-password code and its message,
/// a clock offset); one is reset, and the store itself is counted: every row of the reset pool is gone, none of the other
/// pool's.</summary>
public abstract class PoolResetStoreCases(TestingServer server)
{
    const string Password = "Seeded-Passw0rd!";

    [Fact]
    public async Task A_reset_deletes_every_row_of_the_pool_and_none_of_another_pools()
    {
        var reset = await Filled();
        var kept = await Filled();
        var before = await Rows(kept.PoolId);
        Assert.All(before, kind => Assert.True(kind.Value > 0, $"the kept pool has no {kind.Key} row: the test made none"));
        Assert.Equal(before.Keys, (await Rows(reset.PoolId)).Where(k => k.Value > 0).Select(k => k.Key));

        var answer = await server.Post($"/_portal/testing/pools/{reset.PoolId}/reset", null);

        Assert.Equal(2, answer.GetProperty("UsersDeleted").GetInt32());
        Assert.All(await Rows(reset.PoolId), kind => Assert.True(kind.Value == 0, $"{kind.Value} {kind.Key} rows are left after the reset"));
        Assert.Equal(before, await Rows(kept.PoolId));
        Assert.Equal(0, (await server.Get($"/_portal/testing/pools/{reset.PoolId}/clock")).GetProperty("OffsetSeconds").GetInt64());
        Assert.Equal(3600, (await server.Get($"/_portal/testing/pools/{kept.PoolId}/clock")).GetProperty("OffsetSeconds").GetInt64());
        // The configuration stays: the same user is seeded again and signs in.
        await Seed(reset.PoolId, "ada@example.com", "staff");
        Assert.NotNull((await SignIn(reset.ClientId, "ada@example.com")).AuthenticationResult?.AccessToken);
    }

    Task<JsonElement> Seed(string poolId, string email, string group) => server.Post($"/_portal/testing/pools/{poolId}/users", new
    {
        Users = new object[] { new { Username = email, Password, Attributes = new Dictionary<string, string> { ["email"] = email, ["email_verified"] = "true" }, Groups = new[] { group } } },
    });

    Task<InitiateAuthResponse> SignIn(string clientId, string email) => server.Anonymous.Send(new InitiateAuthRequest
    {
        ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Password },
    });

    /// <summary>A pool with a row in each table a reset empties.</summary>
    async Task<(string PoolId, string ClientId)> Filled()
    {
        var domain = "reset-" + Guid.NewGuid().ToString("n")[..8];
        // Threat protection in audit mode, so sign-ins write auth events.
        var poolId = (await server.Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = Infrastructure.PortalServer.Unique("reset"), UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" },
        })).UserPool!.Id!;
        var clientId = (await server.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email"],
            SupportedIdentityProviders = ["COGNITO"], CallbackURLs = ["https://app.example/callback"],
        })).UserPoolClient!.ClientId!;
        await server.Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        await server.Cognito.Send(new CreateGroupRequest { UserPoolId = poolId, GroupName = "staff" });
        await Seed(poolId, "ada@example.com", "staff");
        // A refresh token and a sign-in's auth event.
        Assert.NotNull((await SignIn(clientId, "ada@example.com")).AuthenticationResult?.RefreshToken);
        // A linked identity: the built-in test IdP's subject linked to the user.
        await server.Post($"/_portal/testing/pools/{poolId}/test-idp", new { ClientId = clientId });
        await server.Cognito.Send(new AdminLinkProviderForUserRequest
        {
            UserPoolId = poolId,
            DestinationUser = new() { ProviderName = "Cognito", ProviderAttributeValue = "ada@example.com" },
            SourceUser = new() { ProviderName = "TestIdP", ProviderAttributeName = "Cognito_Subject", ProviderAttributeValue = "ada-at-the-idp" },
        });
        // A challenge's session: a user with a temporary password signs in.
        await server.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = "temp@example.com", TemporaryPassword = "Temp-Passw0rd!", MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = "temp@example.com" }],
        });
        Assert.Equal("NEW_PASSWORD_REQUIRED", (await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "temp@example.com", ["PASSWORD"] = "Temp-Passw0rd!" },
        })).ChallengeName);
        // A forgot-password code and its message.
        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = "ada@example.com" });
        // An authorization code: the minted session's cookie takes the hosted UI straight back to the app.
        var cookie = (await server.Post($"/_portal/testing/pools/{poolId}/sessions", new { Username = "ada@example.com", ClientId = clientId })).GetProperty("SsoCookie");
        var login = $"{server.BaseUrl}/{domain}/login?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString("https://app.example/callback")}"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, login);
        request.Headers.Add("Cookie", $"{cookie.GetProperty("Name").GetString()}={cookie.GetProperty("Value").GetString()}");
        using var back = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.StartsWith("https://app.example/callback?code=", back.Headers.Location!.ToString());
        // A clock offset.
        await server.Post($"/_portal/testing/pools/{poolId}/clock/advance", new { Seconds = 3600 });
        return (poolId, clientId);
    }

    /// <summary>The pool's rows in each table a reset empties, counted in the store.</summary>
    async Task<Dictionary<string, int>> Rows(string poolId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var clock = PoolClocks.Prefix + poolId;
        return new Dictionary<string, int>
        {
            ["user"] = await db.Users.CountAsync(x => x.UserPoolId == poolId),
            ["group membership"] = await db.GroupMembers.CountAsync(x => x.UserPoolId == poolId),
            ["linked identity"] = await db.LinkedIdentities.CountAsync(x => x.UserPoolId == poolId),
            ["refresh token"] = await db.RefreshTokens.CountAsync(x => x.UserPoolId == poolId),
            ["auth event"] = await db.AuthEvents.CountAsync(x => x.UserPoolId == poolId),
            ["auth session"] = await db.AuthSessions.CountAsync(x => x.UserPoolId == poolId),
            ["authorization code"] = await db.AuthorizationCodes.CountAsync(x => x.UserPoolId == poolId),
            ["code"] = await db.Codes.CountAsync(x => x.UserPoolId == poolId),
            ["message"] = await db.Outbox.CountAsync(x => x.UserPoolId == poolId),
            ["clock offset"] = await db.Settings.CountAsync(x => x.Key == clock),
        };
    }
}

[Collection(TestingCollection.Name)]
public sealed class SqlitePoolResetStoreTests(TestingServer server) : PoolResetStoreCases(server);

[Collection(PostgresTestingCollection.Name)]
public sealed class PostgresPoolResetStoreTests(PostgresTestingServer server) : PoolResetStoreCases(server);
