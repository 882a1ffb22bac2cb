using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>Races two instances lose without database guarantees: one email created 20 times at once across both, an
/// alias verified by several users at once, and a new pool's first sign-ins each making a signing key.</summary>
public abstract class UniquenessRaceTests(TwoHosts hosts)
{
    const string Password = "Race-Passw0rd!";

    [Fact]
    public async Task Twenty_concurrent_creations_of_one_email_as_username_across_two_instances_make_one_user()
    {
        var poolId = (await hosts.A.Admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("race"), UsernameAttributes = ["email"] })).UserPool!.Id!;
        var email = PortalServer.Unique("same") + "@example.com";
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await hosts.Host(i).Admin.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = email, MessageAction = "SUPPRESS" });
                return null;
            }
            catch (CognitoException e)
            {
                return e;
            }
        }));
        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.OfType<CognitoException>(), e =>
        {
            Assert.IsType<UsernameExistsException>(e);
            Assert.Equal("An account with the given email already exists.", e.Message);
        });
        var users = await hosts.B.Admin.Send(new ListUsersRequest { UserPoolId = poolId, Filter = $"email = \"{email}\"" });
        var user = Assert.Single(users.Users!);
        // Both instances resolve the email to that one user.
        Assert.Equal(user.Username, (await hosts.A.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = email })).Username);
        Assert.Equal(user.Username, (await hosts.B.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = email })).Username);
    }

    [Fact]
    public async Task Users_verifying_one_alias_email_at_once_leave_one_holder_and_the_others_hear_AliasExistsException()
    {
        var poolId = (await hosts.A.Admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("alias"), AliasAttributes = ["email"] })).UserPool!.Id!;
        var email = PortalServer.Unique("shared") + "@example.com";
        var names = Enumerable.Range(0, 8).Select(i => $"user{i}").ToList();
        foreach (var name in names)
            await hosts.A.Admin.Send(new AdminCreateUserRequest
            {
                UserPoolId = poolId, Username = name, MessageAction = "SUPPRESS", UserAttributes = [new() { Name = "email", Value = email }],
            });
        var outcomes = await Task.WhenAll(names.Select(async (name, i) =>
        {
            try
            {
                await hosts.Host(i).Admin.Send(new AdminUpdateUserAttributesRequest
                {
                    UserPoolId = poolId, Username = name, UserAttributes = [new() { Name = "email_verified", Value = "true" }],
                });
                return null;
            }
            catch (CognitoException e)
            {
                return e;
            }
        }));
        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.OfType<CognitoException>(), e =>
        {
            Assert.IsType<AliasExistsException>(e);
            Assert.Equal("An account with the given email already exists.", e.Message);
        });
        var verified = new List<string>();
        foreach (var name in names)
        {
            var user = await hosts.B.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = name });
            if (user.UserAttributes!.Any(a => a.Name == "email_verified" && a.Value == "true")) verified.Add(name);
        }
        var holder = Assert.Single(verified);
        // Signing in by the alias reaches the one holder, on either instance.
        Assert.Equal(holder, (await hosts.A.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = email })).Username);
        Assert.Equal(holder, (await hosts.B.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = email })).Username);
    }

    /// <summary>preferred_username as an alias is unique in the pool (Cognito): eight users given one at once, on two
    /// instances, leave one holder; the others hear AliasExistsException, and the alias resolves to the holder.</summary>
    [Fact]
    public async Task Users_given_one_preferred_username_alias_at_once_leave_one_holder_and_the_others_hear_AliasExistsException()
    {
        var poolId = (await hosts.A.Admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("preferred"), AliasAttributes = ["preferred_username"] })).UserPool!.Id!;
        var preferred = PortalServer.Unique("nick");
        var names = Enumerable.Range(0, 8).Select(i => $"user{i}").ToList();
        foreach (var name in names)
            await hosts.A.Admin.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = name, MessageAction = "SUPPRESS" });
        var outcomes = await Task.WhenAll(names.Select(async (name, i) =>
        {
            try
            {
                await hosts.Host(i).Admin.Send(new AdminUpdateUserAttributesRequest
                {
                    UserPoolId = poolId, Username = name, UserAttributes = [new() { Name = "preferred_username", Value = preferred }],
                });
                return null;
            }
            catch (CognitoException e)
            {
                return e;
            }
        }));
        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.OfType<CognitoException>(), e =>
        {
            Assert.IsType<AliasExistsException>(e);
            Assert.Equal("An account with the given preferred_username already exists.", e.Message);
        });
        var holders = new List<string>();
        foreach (var name in names)
        {
            var user = await hosts.B.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = name });
            if (user.UserAttributes!.Any(a => a.Name == "preferred_username" && a.Value == preferred)) holders.Add(name);
        }
        var holder = Assert.Single(holders);
        Assert.Equal(holder, (await hosts.A.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = preferred })).Username);
        Assert.Equal(holder, (await hosts.B.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = preferred })).Username);
    }

    [Fact]
    public async Task Four_simultaneous_first_sign_ins_on_a_new_pool_make_one_signing_key()
    {
        var admin = hosts.A.Admin;
        var poolId = (await admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("keys") })).UserPool!.Id!;
        var clientId = (await admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        var names = Enumerable.Range(0, 4).Select(i => $"signer{i}").ToList();
        foreach (var name in names)
        {
            await admin.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = name, MessageAction = "SUPPRESS" });
            await admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = name, Password = Password, Permanent = true });
        }
        var signedIn = await Task.WhenAll(names.Select((name, i) => hosts.Host(i).Anonymous.Send(new InitiateAuthRequest
        {
            AuthFlow = "USER_PASSWORD_AUTH", ClientId = clientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = name, ["PASSWORD"] = Password },
        })));
        var kids = signedIn.Select(s => Kid(s.AuthenticationResult!.IdToken!)).Concat(signedIn.Select(s => Kid(s.AuthenticationResult!.AccessToken!))).Distinct().ToList();
        var kid = Assert.Single(kids);
        using var http = new HttpClient();
        var jwks = JsonDocument.Parse(await http.GetStringAsync($"{hosts.B.BaseUrl}/{poolId}/.well-known/jwks.json"));
        Assert.Equal([kid], jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        await using var scope = hosts.A.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        Assert.Equal(1, await db.SigningKeys.CountAsync(k => k.UserPoolId == poolId));
    }

    static string Kid(string jwt)
    {
        var header = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(header)).RootElement.GetProperty("kid").GetString()!;
    }
}

public sealed class PostgresUniquenessRaceTests(TwoHostsOnPostgres hosts) : UniquenessRaceTests(hosts), IClassFixture<TwoHostsOnPostgres>;

public sealed class SqliteUniquenessRaceTests(TwoHostsOnSqlite hosts) : UniquenessRaceTests(hosts), IClassFixture<TwoHostsOnSqlite>;
