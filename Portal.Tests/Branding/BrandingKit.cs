using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>A pool with a hosted-UI domain and an app client, created over the wire for one test.</summary>
public sealed record BrandedPool(string PoolId, string ClientId, string Domain)
{
    public static RemoteCognito Cognito(PortalServer server) =>
        new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") }, new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));

    public static async Task<BrandedPool> Create(ICognito cognito, bool withDomain = true)
    {
        var name = $"brand-{Guid.NewGuid():n}"[..20];
        var pool = await cognito.Send(new CreateUserPoolRequest { PoolName = name });
        var poolId = pool.UserPool!.Id!;
        var client = await cognito.Send(new CreateUserPoolClientRequest { UserPoolId = poolId, ClientName = "web" });
        if (withDomain) await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = name });
        return new BrandedPool(poolId, client.UserPoolClient!.ClientId!, name);
    }
}
