using System.Text.Json;
using Portal.Client.Contract;

namespace Portal.Tests.Testing;

/// <summary>The sign-in's compiled queries (<c>HotQueries</c>: the user by username key, the user's groups) on SQLite and
/// on PostgreSQL, through the API: two pools hold a user of the same username and groups of the same names, with other
/// members; a sign-in in each pool gets its own user and exactly that user's groups of that pool, in precedence order,
/// and an unknown username is not found.</summary>
public abstract class SignInQueriesCases(TestingServer server)
{
    const string Password = "Queries-Passw0rd!";

    [Fact]
    public async Task A_sign_in_finds_its_pools_user_and_that_users_groups_only()
    {
        var first = await Pool(("admins", 1), ("staff", 5), ("audit", 9));
        var second = await Pool(("admins", 1), ("staff", 5), ("audit", 9));
        await Seed(first.PoolId, ("same-name", ["staff", "admins"]), ("other", ["audit"]));
        await Seed(second.PoolId, ("same-name", ["audit"]), ("other", ["admins", "staff"]));

        var inFirst = Claims((await SignIn(first.ClientId, "same-name")).AuthenticationResult!.AccessToken!);
        var inSecond = Claims((await SignIn(second.ClientId, "same-name")).AuthenticationResult!.AccessToken!);

        Assert.Equal(["admins", "staff"], inFirst.GetProperty("cognito:groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["audit"], inSecond.GetProperty("cognito:groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("same-name", inFirst.GetProperty("username").GetString());
        Assert.NotEqual(inFirst.GetProperty("sub").GetString(), inSecond.GetProperty("sub").GetString());
        Assert.EndsWith(first.PoolId, inFirst.GetProperty("iss").GetString());
        Assert.EndsWith(second.PoolId, inSecond.GetProperty("iss").GetString());
        // Usernames are case-insensitive by default: the key finds the same user.
        Assert.Equal(inFirst.GetProperty("sub").GetString(), Claims((await SignIn(first.ClientId, "SAME-NAME")).AuthenticationResult!.AccessToken!).GetProperty("sub").GetString());
        // A client without PreventUserExistenceErrors hears that the user does not exist, as Cognito's legacy default.
        await Assert.ThrowsAsync<UserNotFoundException>(() => SignIn(first.ClientId, "nobody"));
    }

    static JsonElement Claims(string jwt) => Auth.AuthKit.Claims(jwt);

    Task<InitiateAuthResponse> SignIn(string clientId, string username) => server.Anonymous.Send(new InitiateAuthRequest
    {
        ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = Password },
    });

    Task<JsonElement> Seed(string poolId, params (string Username, string[] Groups)[] users) => server.Post($"/_portal/testing/pools/{poolId}/users", new
    {
        Users = users.Select(u => new { u.Username, Password, u.Groups }).ToArray(),
    });

    async Task<(string PoolId, string ClientId)> Pool(params (string Name, int Precedence)[] groups)
    {
        var poolId = (await server.Cognito.Send(new CreateUserPoolRequest { PoolName = Infrastructure.PortalServer.Unique("queries") })).UserPool!.Id!;
        var clientId = (await server.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        foreach (var (name, precedence) in groups)
            await server.Cognito.Send(new CreateGroupRequest { UserPoolId = poolId, GroupName = name, Precedence = precedence });
        return (poolId, clientId);
    }
}

[Collection(TestingCollection.Name)]
public sealed class SqliteSignInQueriesTests(TestingServer server) : SignInQueriesCases(server);

[Collection(PostgresTestingCollection.Name)]
public sealed class PostgresSignInQueriesTests(PostgresTestingServer server) : SignInQueriesCases(server);
