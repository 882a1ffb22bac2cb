using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Auth;
using Portal.Server.Throttling;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Throttling;

/// <summary>A Portal with small quotas: 3 sign-ins per second per pool, 5 codes per user per hour.</summary>
public class ThrottledServer : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:RateLimits:Categories:UserAuthentication"] = "3",
        ["Portal:RateLimits:CodesPerUser"] = "5",
        ["Portal:RateLimits:Categories:UserToken"] = "3",
        ["Portal:RateLimits:Categories:UserFederation"] = "3",
    };

    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);
    public ICognito Engine => Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();

    /// <summary>A pool with a hosted-UI domain, an app client for it, and a confirmed user with an email address.</summary>
    public async Task<(string PoolId, string ClientId, string Domain, string Username)> Pool()
    {
        var poolId = (await Engine.Send(new CreateUserPoolRequest { PoolName = Unique("rl"), AutoVerifiedAttributes = ["email"] })).UserPool!.Id!;
        var domain = "rl-" + Guid.NewGuid().ToString("n")[..10];
        await Engine.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        var clientId = (await Engine.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid"],
            SupportedIdentityProviders = ["COGNITO"], CallbackURLs = ["https://app.example.test/cb"],
        })).UserPoolClient!.ClientId!;
        var username = Unique("u");
        await Engine.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        await Engine.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = "Passw0rd!-long", Permanent = true });
        return (poolId, clientId, domain, username);
    }
}

/// <summary>A second instance on the first one's database (the same SQLite data folder).</summary>
public sealed class SecondInstance(string dataFolder) : ThrottledServer
{
    readonly string shared = dataFolder;

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["Portal:Storage:DataFolder"] = shared };
}

/// <summary>Item 6: Cognito's quota categories per pool, codes per user, bounded password hashing.</summary>
public sealed class RateLimitTests(ThrottledServer server) : IClassFixture<ThrottledServer>
{
    static async Task<HttpResponseMessage> Wire(PortalServer portal, string operation, object body)
    {
        using var http = new HttpClient();
        var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8);
        content.Headers.ContentType = new("application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, portal.BaseUrl + "/") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Sign_ins_past_the_pools_quota_answer_TooManyRequestsException_in_the_AWS_shape()
    {
        var (_, clientId, _, username) = await server.Pool();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Wire(server, "InitiateAuth", new
        {
            AuthFlow = "USER_PASSWORD_AUTH", ClientId = clientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = username, ["PASSWORD"] = "wrong-Passw0rd!" },
        })));
        var throttled = answers.Where(a => a.Headers.TryGetValues("x-amzn-ErrorType", out var t) && t.Single() == "TooManyRequestsException").ToList();
        Assert.NotEmpty(throttled);
        var first = throttled[0];
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        using var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.Equal("TooManyRequestsException", body.RootElement.GetProperty("__type").GetString());
        Assert.Equal("Too many requests", body.RootElement.GetProperty("message").GetString());
        // The others were really checked: wrong password, not a server fault.
        Assert.All(answers.Except(throttled), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
    }

    [Fact]
    public async Task The_hosted_login_past_the_pools_quota_answers_429_with_the_branded_page()
    {
        var (_, clientId, domain, username) = await server.Pool();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var url = $"{server.BaseUrl}/{domain}/login?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString("https://app.example.test/cb")}";
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => http.PostAsync(url,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = "wrong-Passw0rd!" }))));
        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.Equal("text/html", throttled[0].Content.Headers.ContentType!.MediaType);
        Assert.Contains("Too many requests", await throttled[0].Content.ReadAsStringAsync());
        Assert.Equal("1", throttled[0].Headers.RetryAfter!.ToString());
    }

    [Fact]
    public async Task The_token_endpoint_past_the_pools_quota_answers_429_with_an_OAuth_error()
    {
        var (_, clientId, domain, _) = await server.Pool();
        using var http = new HttpClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => http.PostAsync($"{server.BaseUrl}/{domain}/oauth2/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = "not-a-refresh-token",
            }))));
        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        using var body = JsonDocument.Parse(await throttled[0].Content.ReadAsStringAsync());
        Assert.Equal("too_many_requests", body.RootElement.GetProperty("error").GetString());
        Assert.All(answers.Except(throttled), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
    }

    [Fact]
    public async Task The_providers_way_back_past_the_pools_quota_answers_429_with_the_branded_page()
    {
        var (_, _, domain, _) = await server.Pool();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => http.GetAsync($"{server.BaseUrl}/{domain}/oauth2/idpresponse?state=forged&code=x")));
        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.Contains("Too many requests", await throttled[0].Content.ReadAsStringAsync());
        Assert.All(answers.Except(throttled), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
    }

    [Fact]
    public async Task A_sixth_ForgotPassword_within_the_hour_answers_LimitExceededException()
    {
        var (_, clientId, _, username) = await server.Pool();
        for (var i = 0; i < 5; i++) await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        var e = await Assert.ThrowsAsync<LimitExceededException>(() => server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username }));
        Assert.Equal("Attempt limit exceeded, please try after some time.", e.Message);
        using var raw = await Wire(server, "ForgotPassword", new { ClientId = clientId, Username = username });
        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
        Assert.Contains("\"__type\":\"LimitExceededException\"", await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_the_per_user_code_limit()
    {
        var (_, clientId, _, username) = await server.Pool();
        using var second = new SecondInstance(server.DataFolder);
        var other = new RemoteCognito(new HttpClient { BaseAddress = new Uri(second.BaseUrl + "/") }, null);
        for (var i = 0; i < 3; i++) await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        for (var i = 0; i < 2; i++) await other.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        await Assert.ThrowsAsync<LimitExceededException>(() => other.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username }));
        await Assert.ThrowsAsync<LimitExceededException>(() => server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username }));
    }

    [Fact]
    public void One_address_past_its_limit_is_refused_and_another_is_not()
    {
        var options = new RateLimitOptions { PerAddressPerSecond = 3 };
        using var limits = new RateLimits(new StaticMonitor<RateLimitOptions>(options), server.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
        var attacker = IPAddress.Parse("203.0.113.7");
        var refused = 0;
        for (var i = 0; i < 10; i++)
        {
            try { limits.CheckAddress(attacker); }
            catch (TooManyRequestsException) { refused++; }
        }
        Assert.InRange(refused, 4, 10);
        limits.CheckAddress(IPAddress.Parse("203.0.113.8"));
    }

    [Fact]
    public async Task A_flood_of_password_hashes_is_bounded_instead_of_taking_19_MiB_each()
    {
        var hasher = new PasswordHasher(Options.Create(new RateLimitOptions { PasswordHashConcurrency = 1, PasswordHashQueue = 1 }));
        using var start = new ManualResetEventSlim();
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            try { await hasher.Hash("unknown-user-password"); return true; }
            catch (TooManyRequestsException) { return false; }
        })).Append(Task.Run(() => { start.Set(); return true; })));
        Assert.Contains(false, results);
        Assert.True(results.Count(r => r) >= 2);
    }

    sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
