using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.Testing;

namespace Portal.Tests.Testing;

/// <summary>Portal with <c>Portal:Testing:FastPasswordHashing</c> on, testing mode on or off.</summary>
public sealed class FastHashingServer : TestingServer
{
    readonly bool testing;

    public FastHashingServer() : this(testing: true)
    {
    }

    FastHashingServer(bool testing) : base(started: false)
    {
        this.testing = testing;
        Start();
    }

    /// <summary>Testing mode off (fast hashing still asked for).</summary>
    public static FastHashingServer Off() => new(testing: false);

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            return new Dictionary<string, string?>(base.Settings)
            {
                ["Portal:Testing:Enabled"] = testing ? "true" : "false", ["Portal:Testing:FastPasswordHashing"] = "true",
            };
        }
    }
}

/// <summary>Issue 21, speed: pools created in testing mode hash at Argon2id's minimum cost when asked, such hashes are
/// marked by their parameters, and they are hashed again at full cost on the first sign-in with the mode off.</summary>
public sealed class FastHashingTests
{
    const string Password = "Fast-Passw0rd!";
    const string FullCost = "$argon2id$v=19$m=7168,t=5,p=1$";

    static async Task<string> StoredHash(TestingServer server, string poolId, string email)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return (await db.Users.AsNoTracking().SingleAsync(u => u.UserPoolId == poolId && u.Email == email)).PasswordHash!;
    }

    static async Task SignIn(TestingServer server, string clientId, string email)
    {
        var result = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Password },
        });
        Assert.NotNull(result.AuthenticationResult?.AccessToken);
    }

    static Task Seed(TestingServer server, string poolId, string email) => server.Post($"/_portal/testing/pools/{poolId}/users", new
    {
        Users = new[] { new { Username = email, Password, Attributes = new Dictionary<string, string> { ["email"] = email } } },
    });

    [Fact]
    public async Task A_testing_pool_hashes_at_minimum_cost_and_keeps_it_while_the_mode_is_on()
    {
        await using var on = new FastHashingServer();
        var (poolId, clientId) = await on.Pool();
        await Seed(on, poolId, "fast@example.com");
        Assert.StartsWith(PasswordHasher.MinimumCostPrefix, await StoredHash(on, poolId, "fast@example.com"));
        // A self-service password change in the same pool: the same cost.
        await on.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = "signup@example.com", Password = Password,
            UserAttributes = [new AttributeType { Name = "email", Value = "signup@example.com" }],
        });
        Assert.StartsWith(PasswordHasher.MinimumCostPrefix, await StoredHash(on, poolId, "signup@example.com"));
        // While the mode is on, a sign-in keeps the cheap hash.
        await SignIn(on, clientId, "fast@example.com");
        Assert.StartsWith(PasswordHasher.MinimumCostPrefix, await StoredHash(on, poolId, "fast@example.com"));

    }

    [Fact]
    public async Task With_testing_mode_off_a_minimum_cost_hash_verifies_once_and_is_made_again_at_full_cost()
    {
        await using var off = FastHashingServer.Off();
        var (poolId, clientId) = await off.Pool();
        await off.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = "fast@example.com", MessageAction = "SUPPRESS",
            UserAttributes = [new AttributeType { Name = "email", Value = "fast@example.com" }],
        });
        await off.Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = "fast@example.com", Password = Password, Permanent = true });
        Assert.StartsWith(FullCost, await StoredHash(off, poolId, "fast@example.com"));
        // A hash made while the mode was on (the same store, the mode since switched off).
        await using (var scope = off.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var user = await db.Users.SingleAsync(u => u.UserPoolId == poolId && u.Email == "fast@example.com");
            user.PasswordHash = off.Services.GetRequiredService<PasswordHasher>().HashAtMinimumCost(Password);
            await db.SaveChangesAsync();
        }
        Assert.StartsWith(PasswordHasher.MinimumCostPrefix, await StoredHash(off, poolId, "fast@example.com"));

        await SignIn(off, clientId, "fast@example.com");
        Assert.StartsWith(FullCost, await StoredHash(off, poolId, "fast@example.com"));
        await SignIn(off, clientId, "fast@example.com");
        // A pool created with the mode off is not marked: it is never hashed cheaply, fast hashing asked for or not.
        await using var check = off.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<PortalDb>().Settings.AnyAsync(s => s.Key == FastHashing.Prefix + poolId));
    }

    [Fact]
    public async Task A_pool_not_created_in_testing_mode_and_a_server_without_the_option_hash_at_full_cost()
    {
        await using var on = new FastHashingServer();
        var (poolId, _) = await on.Pool();
        await using (var scope = on.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PortalDb>().Settings.Where(s => s.Key == FastHashing.Prefix + poolId).ExecuteDeleteAsync();
        await Seed(on, poolId, "older@example.com");
        Assert.StartsWith(FullCost, await StoredHash(on, poolId, "older@example.com"));

        await using var plain = new TestingServer();
        var (plainPool, _) = await plain.Pool();
        await Seed(plain, plainPool, "plain@example.com");
        Assert.StartsWith(FullCost, await StoredHash(plain, plainPool, "plain@example.com"));
    }
}
