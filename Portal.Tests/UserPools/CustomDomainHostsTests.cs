using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.HostedUi;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>A custom domain (CreateUserPoolDomain with CustomDomainConfig) is answered host-based without editing
/// AllowedHosts, as soon as it is created here and once another instance's change is heard of; a deleted one, and any
/// Host that is no pool's custom domain, is still refused with 400 (nothing is looked up from a request's Host).</summary>
[Collection(ServerCollection.Name)]
public sealed class CustomDomainHostsTests(PortalServer server)
{
    const string Certificate = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";
    readonly global::Portal.Client.Remote.RemoteCognito cognito = Api.Signed(server);
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>The authorize endpoint asked with this Host: its status and where it sends the browser.</summary>
    async Task<(HttpStatusCode Status, string? Location)> Authorize(string host, string clientId)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{server.BaseUrl}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString("https://app.example.com/callback")}");
        request.Headers.Host = host;
        using var answer = await http.SendAsync(request);
        return (answer.StatusCode, answer.Headers.Location?.OriginalString);
    }

    async Task<(string Pool, string Client)> PoolWithClient()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { UserPoolTier = "ESSENTIALS" });
        var client = (await cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool.Id, ClientName = "web", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"],
            AllowedOAuthScopes = ["openid"], CallbackURLs = ["https://app.example.com/callback"], SupportedIdentityProviders = ["COGNITO"],
        })).UserPoolClient!;
        return (pool.Id!, client.ClientId!);
    }

    [Fact]
    public async Task A_custom_domain_is_answered_without_editing_AllowedHosts_and_other_hosts_are_still_refused()
    {
        var (pool, client) = await PoolWithClient();
        // Not under the configured hosts (the public host, *.localhost in Development).
        var domain = $"login.{Api.Unique("cd")}.example.org";
        Assert.Equal(HttpStatusCode.BadRequest, (await Authorize(domain, client)).Status);

        await cognito.Send(new CreateUserPoolDomainRequest
        {
            UserPoolId = pool, Domain = domain, CustomDomainConfig = new CustomDomainConfigType { CertificateArn = Certificate },
        });
        var served = await Authorize(domain, client);
        Assert.Equal(HttpStatusCode.Redirect, served.Status);
        Assert.StartsWith($"/login?client_id={client}", served.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Authorize("evil.example.org", client)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Authorize("x." + domain, client)).Status);

        await cognito.Send(new DeleteUserPoolDomainRequest { UserPoolId = pool, Domain = domain });
        Assert.Equal(HttpStatusCode.BadRequest, (await Authorize(domain, client)).Status);
    }

    /// <summary>Another instance creates a domain (a write to the shared store with its change notification): this instance
    /// hears of it and answers the host, without any request naming it first.</summary>
    [Fact]
    public async Task A_domain_created_by_another_instance_is_answered_once_its_change_is_heard()
    {
        var (pool, client) = await PoolWithClient();
        var domain = $"auth.{Api.Unique("other")}.example.net";
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var row = new UserPoolDomainRow { Domain = domain, UserPoolId = pool, CreatedAt = server.Clock.GetUtcNow() };
            global::Portal.Server.UserPools.UserPoolDomains.Write(row, new CustomDomainConfigType { CertificateArn = Certificate }, 1, server.Clock.GetUtcNow());
            db.Domains.Add(row);
            await db.SaveChangesAsync();
        }
        var hosts = server.Services.GetRequiredService<CustomDomainHosts>();
        var deadline = TimeProvider.System.GetUtcNow() + Limit;
        while (!hosts.Hosts.Contains(domain))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The change was never heard of.");
            await Task.Delay(50);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await Authorize(domain, client)).Status);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.Domains.Remove(await db.Domains.FirstAsync(d => d.Domain == domain));
            await db.SaveChangesAsync();
        }
        deadline = TimeProvider.System.GetUtcNow() + Limit;
        while (hosts.Hosts.Contains(domain))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The deletion was never heard of.");
            await Task.Delay(50);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await Authorize(domain, client)).Status);
    }
}
