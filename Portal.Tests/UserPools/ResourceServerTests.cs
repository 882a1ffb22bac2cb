using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

[Collection(ServerCollection.Name)]
public sealed class ResourceServerTests(PortalServer server)
{
    readonly RemoteCognito cognito = Api.Signed(server);

    static List<ResourceServerScopeType> Scopes(params string[] names) =>
        names.Select(n => new ResourceServerScopeType { ScopeName = n, ScopeDescription = $"The {n} scope" }).ToList();

    [Fact]
    public async Task A_resource_server_is_created_described_listed_updated_and_deleted()
    {
        var pool = await cognito.NewPool();
        var created = (await cognito.Send(new CreateResourceServerRequest
        {
            UserPoolId = pool.Id, Identifier = "https://api.example.com", Name = "Example API", Scopes = Scopes("read", "write"),
        })).ResourceServer!;
        Assert.Equal((pool.Id, "https://api.example.com", "Example API"), (created.UserPoolId, created.Identifier, created.Name));
        Assert.Equal(["read", "write"], created.Scopes!.Select(s => s.ScopeName));
        Assert.Equal("The read scope", created.Scopes![0].ScopeDescription);

        var described = (await cognito.Send(new DescribeResourceServerRequest { UserPoolId = pool.Id, Identifier = "https://api.example.com" })).ResourceServer!;
        Assert.Equal(created.Scopes!.Select(s => s.ScopeName), described.Scopes!.Select(s => s.ScopeName));

        var listed = (await cognito.Send(new ListResourceServersRequest { UserPoolId = pool.Id, MaxResults = 10 })).ResourceServers!;
        Assert.Equal("https://api.example.com", Assert.Single(listed).Identifier);

        var updated = (await cognito.Send(new UpdateResourceServerRequest
        {
            UserPoolId = pool.Id, Identifier = "https://api.example.com", Name = "Renamed", Scopes = Scopes("admin"),
        })).ResourceServer!;
        Assert.Equal("Renamed", updated.Name);
        Assert.Equal(["admin"], updated.Scopes!.Select(s => s.ScopeName));

        var cleared = (await cognito.Send(new UpdateResourceServerRequest { UserPoolId = pool.Id, Identifier = "https://api.example.com", Name = "Renamed" })).ResourceServer!;
        Assert.Empty(cleared.Scopes!);

        await cognito.Send(new DeleteResourceServerRequest { UserPoolId = pool.Id, Identifier = "https://api.example.com" });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new DescribeResourceServerRequest { UserPoolId = pool.Id, Identifier = "https://api.example.com" }));
        Assert.Empty((await cognito.Send(new ListResourceServersRequest { UserPoolId = pool.Id, MaxResults = 10 })).ResourceServers!);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new DeleteResourceServerRequest { UserPoolId = pool.Id, Identifier = "https://api.example.com" }));
    }

    [Fact]
    public async Task CreateResourceServer_refuses_duplicates_bad_scope_names_and_too_many_scopes()
    {
        var pool = await cognito.NewPool();
        await cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "orders", Name = "Orders" });

        var duplicate = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "orders", Name = "Again" }));
        Assert.Contains("orders", duplicate.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "twice", Name = "Twice", Scopes = Scopes("read", "read") }));
        var slash = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "slash", Name = "Slash", Scopes = Scopes("read/all") }));
        Assert.Contains("'scopes.1.member.scopeName'", slash.Message);
        var tooMany = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateResourceServerRequest
        {
            UserPoolId = pool.Id, Identifier = "many", Name = "Many", Scopes = Scopes(Enumerable.Range(1, 101).Select(i => $"s{i}").ToArray()),
        }));
        Assert.Contains("'scopes'", tooMany.Message);
        var noName = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "nameless" }));
        Assert.Contains("'name'", noName.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new CreateResourceServerRequest { UserPoolId = "us-east-1_Missing00", Identifier = "x", Name = "x" }));
        Assert.Single((await cognito.Send(new ListResourceServersRequest { UserPoolId = pool.Id })).ResourceServers!);
    }

    [Fact]
    public async Task A_pool_has_at_most_25_resource_servers()
    {
        var pool = await cognito.NewPool();
        for (var i = 1; i <= 25; i++)
            await cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = $"api{i:00}", Name = $"api {i}" });
        await Assert.ThrowsAsync<LimitExceededException>(() =>
            cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "api26", Name = "api 26" }));
    }

    [Fact]
    public async Task ListResourceServers_pages_in_identifier_order()
    {
        var pool = await cognito.NewPool();
        foreach (var id in new[] { "c", "a", "b" })
            await cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = id, Name = id });

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await cognito.Send(new ListResourceServersRequest { UserPoolId = pool.Id, MaxResults = 1, NextToken = token });
            seen.AddRange(page.ResourceServers!.Select(r => r.Identifier!));
            token = page.NextToken;
        } while (token is not null);
        Assert.Equal(["a", "b", "c"], seen);

        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListResourceServersRequest { UserPoolId = pool.Id, MaxResults = 51 }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new ListResourceServersRequest { UserPoolId = "us-east-1_Missing00" }));
    }

    [Fact]
    public async Task App_clients_lose_the_scopes_a_resource_server_no_longer_has()
    {
        var pool = await cognito.NewPool();
        await cognito.Send(new CreateResourceServerRequest { UserPoolId = pool.Id, Identifier = "inventory", Name = "Inventory", Scopes = Scopes("read", "write") });
        var client = (await cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool.Id, ClientName = "worker", GenerateSecret = true, AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["inventory/read", "inventory/write"],
        })).UserPoolClient!;

        await cognito.Send(new UpdateResourceServerRequest { UserPoolId = pool.Id, Identifier = "inventory", Name = "Inventory", Scopes = Scopes("read") });
        Assert.Equal(["inventory/read"], await ScopesOf(pool.Id!, client.ClientId!));

        await cognito.Send(new DeleteResourceServerRequest { UserPoolId = pool.Id, Identifier = "inventory" });
        Assert.Empty(await ScopesOf(pool.Id!, client.ClientId!));
    }

    async Task<List<string>> ScopesOf(string poolId, string clientId) =>
        (await cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = clientId })).UserPoolClient!.AllowedOAuthScopes ?? [];
}
