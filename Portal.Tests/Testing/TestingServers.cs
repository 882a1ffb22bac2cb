using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Testing;

/// <summary>Portal under Development: testing mode on (appsettings.Development.json), clients on loopback.</summary>
public class TestingServer : PortalServer
{
    public const string Token = "test-token-for-testing-mode-0123456789";

    public TestingServer()
    {
    }

    /// <summary>For servers whose settings come from their own constructor (they call Start at its end).</summary>
    protected TestingServer(bool started) : base(started)
    {
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:Testing:Token"] = Token };

    public ICognito Cognito => Services.GetRequiredService<Dispatcher>();

    /// <summary>The wire, unsigned, as an app calls it.</summary>
    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);

    public HttpClient Http() => new() { BaseAddress = new Uri(BaseUrl) };

    public async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> Get(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = Http();
        return await Json(await http.GetAsync(path), expected);
    }

    public async Task<JsonElement> Post(string path, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = Http();
        return await Json(await http.PostAsJsonAsync(path, body ?? new { }), expected);
    }

    /// <summary>A pool with an app client that signs in with a password, email as the sign-in name, auto-verified.</summary>
    public async Task<(string PoolId, string ClientId)> Pool(string? domain = null)
    {
        var pool = await Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = Unique("testing"), UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
        });
        var poolId = pool.UserPool!.Id!;
        var client = await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app",
            ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email"],
            SupportedIdentityProviders = ["COGNITO"], CallbackURLs = ["https://app.example/callback"],
        });
        if (domain is not null) await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        return (poolId, client.UserPoolClient!.ClientId!);
    }
}

[CollectionDefinition(Name)]
public sealed class TestingCollection : ICollectionFixture<TestingServer>
{
    public const string Name = "testing-mode";
}

/// <summary>Testing mode off (as outside Development by default).</summary>
public sealed class TestingOffServer : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:Testing:Enabled"] = "false" };
}

/// <summary>Testing mode on, and every connection comes from 192.0.2.10 (TEST-NET-1): the connection's address is set
/// by the test host before Portal's middleware, as Kestrel would for a client on another machine; no header is involved.</summary>
public sealed class RemoteClientServer : TestingServer
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new FromElsewhere()));
    }

    sealed class FromElsewhere : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, then) =>
            {
                http.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
                return then(http);
            });
            next(app);
        };
    }
}

/// <summary>Production with testing mode on, without AllowInProduction.</summary>
public sealed class ProductionWithTestingMode : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:Testing:Enabled"] = "true" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}
