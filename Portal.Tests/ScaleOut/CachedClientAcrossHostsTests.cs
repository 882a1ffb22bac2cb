using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>Issue #20: each instance caches the user pool and app client every sign-in, refresh and token request reads.
/// What an administrator takes away on A (a secret, an auth flow, an OAuth flow, the client, the pool) stops working on A
/// at once and on B, which had it cached, within a second (the README's "App clients and pool settings: caching").</summary>
public abstract class CachedClientAcrossHostsTests(TwoHosts hosts)
{
    const string Password = "Cache-Passw0rd!";
    static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);

    sealed record App(string PoolId, string ClientId, string Secret, string Domain);

    async Task<App> Confidential()
    {
        var admin = hosts.A.Admin;
        var poolId = (await admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("cached") })).UserPool!.Id!;
        var domain = PortalServer.Unique("cached").ToLowerInvariant();
        await admin.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        await admin.Send(new CreateResourceServerRequest
        {
            UserPoolId = poolId, Identifier = "orders", Name = "Orders", Scopes = [new() { ScopeName = "read", ScopeDescription = "read" }],
        });
        var client = (await admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", GenerateSecret = true,
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            AllowedOAuthFlows = ["client_credentials"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["orders/read"],
        })).UserPoolClient!;
        await admin.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = "lena", MessageAction = "SUPPRESS" });
        await admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = "lena", Password = Password, Permanent = true });
        return new App(poolId, client.ClientId!, client.ClientSecret!, domain);
    }

    static Task<InitiateAuthResponse> SignIn(SharedStoreServer host, App app, string secret) => host.Anonymous.Send(new InitiateAuthRequest
    {
        ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH",
        AuthParameters = new() { ["USERNAME"] = "lena", ["PASSWORD"] = Password, ["SECRET_HASH"] = SecretHash(secret, "lena", app.ClientId) },
    });

    static string SecretHash(string secret, string username, string clientId) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username + clientId)));

    static async Task<HttpStatusCode> ClientCredentials(SharedStoreServer host, App app, string secret)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{host.BaseUrl}/{app.Domain}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "orders/read" }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{secret}")));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Whether the call is refused (a Cognito error), as the hot path answers a client it no longer accepts.</summary>
    static async Task<bool> Refused(Func<Task> call)
    {
        try
        {
            await call();
            return false;
        }
        catch (CognitoException e) when (e is NotAuthorizedException or InvalidParameterException or ResourceNotFoundException)
        {
            return true;
        }
    }

    /// <summary>Asks every 50 ms, without waiting for the previous answer, until <paramref name="refused"/> holds; answers how
    /// long after the change the earliest refused request was sent. A slow accepted request (a password hash on a loaded
    /// machine) does not delay the next one, so the figure is the cache's, not the hash's. Gives up after 10 s.</summary>
    static async Task<TimeSpan> UntilRefused(Func<Task<bool>> refused)
    {
        var clock = Stopwatch.StartNew();
        var probes = new List<(TimeSpan Sent, Task<bool> Refused)>();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !probes.Any(p => p.Refused.IsCompletedSuccessfully && p.Refused.Result))
        {
            probes.Add((clock.Elapsed, refused()));
            await Task.Delay(50);
        }
        await Task.WhenAll(probes.Select(p => p.Refused));
        return probes.Where(p => p.Refused.Result).Select(p => p.Sent).DefaultIfEmpty(clock.Elapsed).Min();
    }

    /// <summary>Both hosts sign in and mint machine tokens, so both hold the pool and the client in their caches.</summary>
    static async Task Warm(TwoHosts hosts, App app)
    {
        foreach (var host in new[] { hosts.A, hosts.B })
            for (var i = 0; i < 2; i++)
            {
                Assert.NotNull((await SignIn(host, app, app.Secret)).AuthenticationResult?.AccessToken);
                Assert.Equal(HttpStatusCode.OK, await ClientCredentials(host, app, app.Secret));
            }
    }

    [Fact]
    public async Task A_secret_deleted_on_A_stops_signing_in_and_minting_on_A_at_once_and_on_B_within_a_second()
    {
        var app = await Confidential();
        var added = (await hosts.A.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecretDescriptor!;
        // The new secret works on B at once: its cached copy of the client was forgotten.
        Assert.NotNull((await SignIn(hosts.B, app, added.ClientSecretValue!)).AuthenticationResult);
        await Warm(hosts, app);

        var first = (await hosts.A.Admin.Send(new ListUserPoolClientSecretsRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecrets![0];
        await hosts.A.Admin.Send(new DeleteUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecretId = first.ClientSecretId });

        Assert.True(await Refused(() => SignIn(hosts.A, app, app.Secret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await ClientCredentials(hosts.A, app, app.Secret));
        var took = await UntilRefused(() => Refused(() => SignIn(hosts.B, app, app.Secret)));
        Assert.True(took < WithinASecond, $"B still accepted the deleted secret in SECRET_HASH {took.TotalMilliseconds:F0} ms after A deleted it");
        Assert.Equal(HttpStatusCode.Unauthorized, await ClientCredentials(hosts.B, app, app.Secret));
        // The remaining secret goes on working on both.
        Assert.NotNull((await SignIn(hosts.B, app, added.ClientSecretValue!)).AuthenticationResult);
        Assert.Equal(HttpStatusCode.OK, await ClientCredentials(hosts.B, app, added.ClientSecretValue!));
    }

    [Fact]
    public async Task An_auth_flow_and_an_OAuth_flow_taken_away_on_A_are_refused_on_A_at_once_and_on_B_within_a_second()
    {
        var app = await Confidential();
        await Warm(hosts, app);

        // The same settings without ALLOW_USER_PASSWORD_AUTH and without client_credentials.
        await hosts.A.Admin.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, ExplicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"],
            AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid"],
            CallbackURLs = ["https://app.example.com/callback"], SupportedIdentityProviders = ["COGNITO"],
        });

        var onA = await Assert.ThrowsAsync<InvalidParameterException>(() => SignIn(hosts.A, app, app.Secret));
        Assert.Equal("USER_PASSWORD_AUTH flow not enabled for this client", onA.Message);
        Assert.Equal(HttpStatusCode.BadRequest, await ClientCredentials(hosts.A, app, app.Secret));
        var took = await UntilRefused(() => Refused(() => SignIn(hosts.B, app, app.Secret)));
        Assert.True(took < WithinASecond, $"B still allowed USER_PASSWORD_AUTH {took.TotalMilliseconds:F0} ms after A took it away");
        Assert.Equal(HttpStatusCode.BadRequest, await ClientCredentials(hosts.B, app, app.Secret));
    }

    /// <summary>The kid a machine token of <paramref name="host"/> is signed with.</summary>
    static async Task<string> MachineTokenKid(SharedStoreServer host, App app)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{host.BaseUrl}/{app.Domain}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "orders/read" }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.Secret}")));
        using var response = await http.SendAsync(request);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Auth.AuthKit.Header(body.RootElement.GetProperty("access_token").GetString()!).GetProperty("kid").GetString()!;
    }

    [Fact]
    public async Task A_signing_key_rotated_on_A_signs_on_A_at_once_and_on_B_within_a_second()
    {
        var app = await Confidential();
        await Warm(hosts, app);
        var old = await MachineTokenKid(hosts.B, app);
        Assert.Equal(old, Auth.AuthKit.Header((await SignIn(hosts.B, app, app.Secret)).AuthenticationResult!.AccessToken!).GetProperty("kid").GetString());

        string rotated;
        await using (var scope = hosts.A.Services.CreateAsyncScope())
            rotated = (await scope.ServiceProvider.GetRequiredService<global::Portal.Server.Auth.SigningKeys>().Rotate(app.PoolId, CancellationToken.None)).Kid;
        Assert.NotEqual(old, rotated);

        Assert.Equal(rotated, await MachineTokenKid(hosts.A, app));
        var clock = Stopwatch.StartNew();
        var seen = TimeSpan.MaxValue;
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var sent = clock.Elapsed;
            if (await MachineTokenKid(hosts.B, app) == rotated)
            {
                seen = sent;
                break;
            }
        }
        Assert.True(seen < WithinASecond, $"B still signed with the retired key {seen.TotalMilliseconds:F0} ms after A rotated it");
        // Sign-ins on B sign with the new key too.
        Assert.Equal(rotated, Auth.AuthKit.Header((await SignIn(hosts.B, app, app.Secret)).AuthenticationResult!.AccessToken!).GetProperty("kid").GetString());
    }

    [Fact]
    public async Task A_client_deleted_on_A_and_a_pool_deleted_on_A_are_unknown_on_A_at_once_and_on_B_within_a_second()
    {
        var app = await Confidential();
        var other = (await hosts.A.Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = app.PoolId, ClientName = "other", GenerateSecret = true, ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH"],
        })).UserPoolClient!;
        var second = app with { ClientId = other.ClientId!, Secret = other.ClientSecret! };
        await Warm(hosts, app);
        foreach (var host in new[] { hosts.A, hosts.B }) Assert.NotNull((await SignIn(host, second, second.Secret)).AuthenticationResult);

        await hosts.A.Admin.Send(new DeleteUserPoolClientRequest { UserPoolId = app.PoolId, ClientId = app.ClientId });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => SignIn(hosts.A, app, app.Secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await ClientCredentials(hosts.A, app, app.Secret));
        var took = await UntilRefused(() => Refused(() => SignIn(hosts.B, app, app.Secret)));
        Assert.True(took < WithinASecond, $"B still signed in through the deleted client {took.TotalMilliseconds:F0} ms after A deleted it");
        Assert.Equal(HttpStatusCode.Unauthorized, await ClientCredentials(hosts.B, app, app.Secret));

        // The pool with its remaining client (deleted in bulk, the client by the cascade).
        await hosts.A.Admin.Send(new DeleteUserPoolRequest { UserPoolId = app.PoolId });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => SignIn(hosts.A, second, second.Secret));
        took = await UntilRefused(() => Refused(() => SignIn(hosts.B, second, second.Secret)));
        Assert.True(took < WithinASecond, $"B still signed in to the deleted pool {took.TotalMilliseconds:F0} ms after A deleted it");
    }
}

public sealed class PostgresCachedClientAcrossHostsTests(TwoHostsOnPostgres hosts) : CachedClientAcrossHostsTests(hosts), IClassFixture<TwoHostsOnPostgres>;

public sealed class SqliteCachedClientAcrossHostsTests(TwoHostsOnSqlite hosts) : CachedClientAcrossHostsTests(hosts), IClassFixture<TwoHostsOnSqlite>;
