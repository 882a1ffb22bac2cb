using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>What the sign-in tests share: the admin API to set up pools and users, the unsigned wire apps sign in
/// through, a test-side SRP client, and a look at the server's store.</summary>
public sealed class AuthKit
{
    public const string Password = "Passw0rd!x";
    public const string AllFlows = "ALLOW_USER_SRP_AUTH ALLOW_USER_PASSWORD_AUTH ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH ALLOW_USER_AUTH";

    readonly PortalServer server;

    /// <param name="inProcessAdmin">Set up through the engine in process rather than SigV4 over the wire (for a server
    /// whose clock is not the real one, where signatures would look stale).</param>
    public AuthKit(PortalServer server, bool inProcessAdmin = false)
    {
        this.server = server;
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") };
        Admin = inProcessAdmin
            ? server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>()
            : new RemoteCognito(http, new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
        Anonymous = new RemoteCognito(http, null);
        Http = http;
    }

    public ICognito Admin { get; }

    /// <summary>The wire without credentials, as apps call InitiateAuth, GetUser, ...</summary>
    public RemoteCognito Anonymous { get; }

    public HttpClient Http { get; }

    /// <summary>GET <c>/{domain}/oauth2/userInfo</c> with the access token as a bearer, as an OIDC client asks.</summary>
    public Task<HttpResponseMessage> UserInfo(string domain, string access)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{domain}/oauth2/userInfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access);
        return Http.SendAsync(request);
    }

    public sealed record App(string PoolId, string ClientId, string? ClientSecret);

    public async Task<App> Pool(CreateUserPoolRequest? pool = null, CreateUserPoolClientRequest? client = null)
    {
        var created = await Admin.Send((pool ?? new CreateUserPoolRequest()) with { PoolName = $"auth-{Guid.NewGuid():n}"[..30] });
        var poolId = created.UserPool!.Id!;
        return await Client(poolId, client);
    }

    public async Task<App> Client(string poolId, CreateUserPoolClientRequest? client = null)
    {
        var made = await Admin.Send((client ?? new CreateUserPoolClientRequest()) with
        {
            UserPoolId = poolId,
            ClientName = client?.ClientName ?? "app",
            ExplicitAuthFlows = client?.ExplicitAuthFlows ?? AllFlows.Split(' ').ToList(),
            PreventUserExistenceErrors = client?.PreventUserExistenceErrors ?? "ENABLED",
        });
        return new App(poolId, made.UserPoolClient!.ClientId!, made.UserPoolClient.ClientSecret);
    }

    /// <summary>A user with a password: permanent (CONFIRMED) unless asked for a temporary one (FORCE_CHANGE_PASSWORD).</summary>
    public async Task<string> User(string poolId, string username, string password = Password, bool permanent = true,
        params (string Name, string Value)[] attributes)
    {
        var created = await Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            TemporaryPassword = permanent ? null : password,
            UserAttributes = attributes.Select(a => new AttributeType { Name = a.Name, Value = a.Value }).ToList(),
        });
        if (permanent)
            await Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = password, Permanent = true });
        return created.User!.Username!;
    }

    public Task<InitiateAuthResponse> PasswordSignIn(App app, string username, string password = Password) =>
        Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH",
            AuthParameters = WithSecretHash(app, username, new() { ["USERNAME"] = username, ["PASSWORD"] = password }),
        });

    /// <summary>USER_SRP_AUTH then PASSWORD_VERIFIER, as amazon-cognito-identity-js does it.</summary>
    public async Task<RespondToAuthChallengeResponse> SrpSignIn(App app, string username, string password = Password)
    {
        var srp = new SrpClient(app.PoolId);
        var challenge = await Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH",
            AuthParameters = WithSecretHash(app, username, new() { ["USERNAME"] = username, ["SRP_A"] = srp.SrpA }),
        });
        Assert.Equal("PASSWORD_VERIFIER", challenge.ChallengeName);
        var userId = challenge.ChallengeParameters!["USER_ID_FOR_SRP"];
        return await Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "PASSWORD_VERIFIER", Session = challenge.Session,
            ChallengeResponses = WithSecretHash(app, userId, srp.Answer(challenge.ChallengeParameters!, password, DateTimeOffset.UtcNow)),
        });
    }

    public static Dictionary<string, string> WithSecretHash(App app, string username, Dictionary<string, string> parameters)
    {
        if (app.ClientSecret is not null) parameters["SECRET_HASH"] = SecretHash(app, username);
        return parameters;
    }

    public static string SecretHash(App app, string username) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(app.ClientSecret!), Encoding.UTF8.GetBytes(username + app.ClientId)));

    public async Task<T> Db<T>(Func<PortalDb, Task<T>> work)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    public Task<UserRow> Row(string poolId, string username) =>
        Db(db => db.Users.AsNoTracking().SingleAsync(u => u.UserPoolId == poolId && u.UsernameKey == username.ToLowerInvariant()));

    /// <summary>Changes a user's row directly (a state the API reaches by other operations: disabled, unconfirmed, ...).</summary>
    public Task Change(string poolId, string username, Action<UserRow> change) => Db(async db =>
    {
        var row = await db.Users.SingleAsync(u => u.UserPoolId == poolId && u.UsernameKey == username.ToLowerInvariant());
        change(row);
        return await db.SaveChangesAsync();
    });

    /// <summary>The payload of a JWT, decoded (no check).</summary>
    public static JsonElement Claims(string jwt) => JsonDocument.Parse(Jwt.FromBase64Url(jwt.Split('.')[1])).RootElement;

    public static JsonElement Header(string jwt) => JsonDocument.Parse(Jwt.FromBase64Url(jwt.Split('.')[0])).RootElement;
}

/// <summary>The client half of Cognito SRP, built from the same building blocks the npm client uses
/// (A = g^a, x, u, S = (B − k·g^x)^(a + u·x), HKDF "Caldera Derived Key", HMAC of the claim).</summary>
public sealed class SrpClient(string poolId)
{
    readonly BigInteger a = new(RandomNumberGenerator.GetBytes(128), isUnsigned: true, isBigEndian: true);

    BigInteger A => BigInteger.ModPow(Srp.G, a, Srp.N);

    /// <summary>As the lib sends it: aValue.toString(16).</summary>
    public string SrpA => A.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    public Dictionary<string, string> Answer(IReadOnlyDictionary<string, string> challenge, string password, DateTimeOffset at)
    {
        var poolName = Srp.PoolName(poolId);
        var userId = challenge["USER_ID_FOR_SRP"];
        var B = Srp.ParseHex(challenge["SRP_B"]);
        var u = Srp.ComputeU(A, B);
        var x = Srp.ComputeX(poolName, userId, password, challenge["SALT"]);
        var baseValue = ((B - Srp.K * BigInteger.ModPow(Srp.G, x, Srp.N)) % Srp.N + Srp.N) % Srp.N;
        var S = BigInteger.ModPow(baseValue, a + u * x, Srp.N);
        var key = Srp.DeriveKey(S, u);
        var timestamp = Srp.FormatTimestamp(at);
        var signature = Srp.ComputeSignature(key, poolName, userId, Convert.FromBase64String(challenge["SECRET_BLOCK"]), timestamp);
        return new Dictionary<string, string>
        {
            ["USERNAME"] = userId,
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = challenge["SECRET_BLOCK"],
            ["TIMESTAMP"] = timestamp,
            ["PASSWORD_CLAIM_SIGNATURE"] = Convert.ToBase64String(signature),
        };
    }
}

/// <summary>A Portal whose clock the test moves (lockout, session and token expiry), started ten days in the past so its
/// tokens are already expired for the real clock; no configured public URL, so issuers come from the listening address.</summary>
public class ClockedServer : PortalServer
{
    public new FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddDays(-10));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:PublicBaseUrl"] = "" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

[CollectionDefinition(Name)]
public sealed class ClockedCollection : ICollectionFixture<ClockedServer>
{
    public const string Name = "clocked";
}
