using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Outbound;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Outbound;

/// <summary>A loopback web site a test shapes: a discovery document, a redirect, a webhook receiver.</summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    readonly WebApplication app;
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public int Hits;

    LoopbackSite(WebApplication app, int port) => (this.app, Port) = (app, port);

    public static LoopbackSite Start(Action<WebApplication, LoopbackSite> routes)
    {
        var port = PortalServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var site = new LoopbackSite(app, port);
        app.Use((context, next) => { Interlocked.Increment(ref site.Hits); return next(context); });
        routes(app, site);
        app.StartAsync().GetAwaiter().GetResult();
        return site;
    }

    /// <summary>An OpenID provider's discovery document naming endpoints on this site.</summary>
    public static IResult Discovery(string issuer) => Results.Json(new Dictionary<string, string>
    {
        ["issuer"] = issuer, ["authorization_endpoint"] = issuer + "/authorize", ["token_endpoint"] = issuer + "/token",
        ["userinfo_endpoint"] = issuer + "/userinfo", ["jwks_uri"] = issuer + "/jwks",
    });

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>A Portal as production runs it: no private networks, except one loopback port let through explicitly
/// (the "allowed" site), so a redirect from an allowed address to a refused one can be shown offline.</summary>
public sealed class GuardedServer : PortalServer
{
    // Field initializers run before the base constructor starts Portal, so Settings can name the ports.
    public LoopbackSite Internal { get; } = LoopbackSite.Start((app, site) =>
    {
        app.MapGet("/.well-known/openid-configuration", () => LoopbackSite.Discovery($"http://127.0.0.1:{site.Port}"));
        app.MapPost("/hook", () => Results.Json(new { response = new { autoConfirmUser = false } }));
    });

    // The one address let through: its /bounce/{port}/... redirects to that loopback port.
    public LoopbackSite Allowed { get; } = LoopbackSite.Start((app, site) =>
    {
        app.MapGet("/direct/.well-known/openid-configuration", () => LoopbackSite.Discovery($"http://127.0.0.1:{site.Port}/direct"));
        app.MapGet("/bounce/{port:int}/.well-known/openid-configuration", (int port) =>
            Results.Redirect($"http://127.0.0.1:{port}/.well-known/openid-configuration"));
    });

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Outbound:AllowPrivateNetworks"] = "false",
        ["Portal:Outbound:AllowedAddresses:0"] = $"127.0.0.1:{Allowed.Port}",
    };

    public RemoteCognito Admin => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, new RemoteCognito.Credentials(AccessKeyId, SecretAccessKey));
    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Internal.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Allowed.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>Item 13: every URL an administrator configures is fetched only from addresses the outbound guard allows,
/// checked after DNS resolution and again on each redirect.</summary>
public sealed class OutboundGuardTests(GuardedServer server) : IClassFixture<GuardedServer>
{
    const string Password = "Passw0rd!-long-enough";

    async Task<string> Pool() => (await server.Admin.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("ssrf") })).UserPool!.Id!;

    Task<CreateIdentityProviderResponse> Oidc(string poolId, string issuer) => server.Admin.Send(new CreateIdentityProviderRequest
    {
        UserPoolId = poolId, ProviderName = "Corp", ProviderType = "OIDC",
        ProviderDetails = new()
        {
            ["client_id"] = "c", ["client_secret"] = "s", ["attributes_request_method"] = "GET",
            ["oidc_issuer"] = issuer, ["authorize_scopes"] = "openid",
        },
    });

    [Fact]
    public async Task An_OIDC_provider_whose_discovery_is_on_loopback_is_refused()
    {
        var poolId = await Pool();
        var hits = server.Internal.Hits;
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Oidc(poolId, server.Internal.BaseUrl));
        Assert.Contains("address not allowed", e.Message);
        Assert.Equal(hits, server.Internal.Hits);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_address_to_a_refused_one_is_refused()
    {
        var poolId = await Pool();
        // The allowed address itself works ...
        await Oidc(poolId, server.Allowed.BaseUrl + "/direct");
        // ... but its redirect to another loopback port is checked again at connect time and refused.
        var other = await Pool();
        var hits = server.Internal.Hits;
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Oidc(other, $"{server.Allowed.BaseUrl}/bounce/{server.Internal.Port}"));
        Assert.Contains("address not allowed", e.Message);
        Assert.Equal(hits, server.Internal.Hits);
    }

    [Fact]
    public async Task SAML_metadata_on_a_host_name_that_resolves_to_loopback_is_refused()
    {
        var poolId = await Pool();
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = poolId, ProviderName = "Corp", ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataURL"] = $"http://localhost:{server.Internal.Port}/metadata" },
        }));
        Assert.Contains("address not allowed", e.Message);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://localhost:{port}/hook")]
    public async Task A_webhook_trigger_on_the_metadata_service_or_loopback_fails_with_the_reason(string url)
    {
        var poolId = await Pool();
        var client = await server.Admin.Send(new CreateUserPoolClientRequest { UserPoolId = poolId, ClientName = "app" });
        await server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Webhook,
            Url = url.Replace("{port}", server.Internal.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Secret = "webhook-secret-0123456789",
        });
        var hits = server.Internal.Hits;
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = client.UserPoolClient!.ClientId, Username = PortalServer.Unique("u"), Password = Password,
        }));
        Assert.Contains("address not allowed", e.Message);
        Assert.Equal(hits, server.Internal.Hits);
    }

    [Fact]
    public async Task The_S3_assets_endpoint_goes_through_the_guard()
    {
        using var store = global::Portal.Server.Branding.S3BlobStore.Create(new global::Portal.Server.Branding.S3AssetOptions
        {
            Bucket = "assets", ServiceUrl = server.Internal.BaseUrl, ForcePathStyle = true, AccessKeyId = "AKIAEXAMPLE", SecretAccessKey = "secret",
        }, server.Services.GetRequiredService<OutboundAddresses>());
        var hits = server.Internal.Hits;
        var e = await Assert.ThrowsAnyAsync<Exception>(() => store.Get("logo.png"));
        Assert.NotNull(OutboundAddresses.Refusal(e));
        Assert.Equal(hits, server.Internal.Hits);
    }

    [Theory]
    [InlineData("10.1.2.3", "a private address")]
    [InlineData("172.20.0.1", "a private address")]
    [InlineData("192.168.1.1", "a private address")]
    [InlineData("fc00::1", "a private address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("169.254.169.254", "a link-local address of the cloud metadata service")]
    [InlineData("::ffff:127.0.0.1", "a loopback address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("93.184.216.34", null)]
    [InlineData("172.32.0.1", null)]
    public void Addresses_are_classified(string address, string? problem) =>
        Assert.Equal(problem, OutboundAddresses.Classify(IPAddress.Parse(address)));

    [Fact]
    public void The_metadata_service_stays_refused_even_when_private_networks_are_allowed()
    {
        var guard = new OutboundAddresses(new StaticMonitor(new OutboundOptions { AllowPrivateNetworks = true }));
        Assert.NotNull(guard.Refused(IPAddress.Parse("169.254.169.254"), 80));
        Assert.Null(guard.Refused(IPAddress.Parse("10.0.0.5"), 443));
    }

    sealed class StaticMonitor(OutboundOptions value) : IOptionsMonitor<OutboundOptions>
    {
        public OutboundOptions CurrentValue => value;
        public OutboundOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<OutboundOptions, string?> listener) => null;
    }
}
