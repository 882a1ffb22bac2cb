using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Portal on PostgreSQL (a throwaway cluster, or PORTAL_TEST_POSTGRES): a login's uniqueness is the table's
/// key there too, and a request that loses the race for a new login (its insert refused inside its transaction) still
/// answers with the winner's identity.</summary>
public sealed class PostgresIdentityServer : PortalServer
{
    protected override bool OnPostgres => true;
}

[CollectionDefinition(Name)]
public sealed class PostgresIdentityCollection : ICollectionFixture<PostgresIdentityServer>
{
    public const string Name = "identity-postgres";
}

[Collection(PostgresIdentityCollection.Name)]
public sealed class PostgresIdentityTests(PostgresIdentityServer server)
{
    readonly IdentityKit kit = new(server);

    [Fact]
    public async Task Concurrent_first_sign_ins_of_one_login_get_one_identity_and_merges_hold()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })));
        var identity = Assert.Single(ids.Select(r => r.IdentityId).Distinct());
        Assert.Equal(identity, Assert.Single((await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 })).Identities!).IdentityId);

        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;
        Assert.Equal(identity, (await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = guest, Logins = logins })).IdentityId);
        Assert.Equal([user.ProviderName], (await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = identity })).Logins);
    }
}
