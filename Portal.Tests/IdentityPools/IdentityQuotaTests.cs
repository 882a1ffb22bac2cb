using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>A Portal with small identity-pool quotas: 2 GetId, 2 GetCredentialsForIdentity, 1 ListIdentities per second.</summary>
public sealed class IdentityQuotaServer : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:RateLimits:Categories:GetId"] = "2",
        ["Portal:RateLimits:Categories:GetCredentialsForIdentity"] = "2",
        ["Portal:RateLimits:Categories:ListIdentities"] = "1",
    };
}

/// <summary>Cognito's identity-pool quotas: per account and operation (every pool counts together), answered
/// TooManyRequestsException, and free again in the next second.</summary>
public sealed class IdentityQuotaTests(IdentityQuotaServer server) : IClassFixture<IdentityQuotaServer>
{
    readonly IdentityKit kit = new(server);

    static async Task<Exception?> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (CognitoException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task GetId_past_the_accounts_quota_answers_TooManyRequestsException_across_pools_until_the_next_second()
    {
        var pools = new[] { (await kit.Pool(null)).IdentityPoolId!, (await kit.Pool(null)).IdentityPoolId! };
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Outcome(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pools[i % 2] }))));

        var throttled = outcomes.OfType<TooManyRequestsException>().ToList();
        Assert.NotEmpty(throttled);
        Assert.Equal("Too many requests", throttled[0].Message);
        // The others were answered: nothing but the quota refused them.
        Assert.Contains(outcomes, o => o is null);
        Assert.Equal(12, throttled.Count + outcomes.Count(o => o is null));

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Matches("^us-east-1:", (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pools[0] })).IdentityId);
    }

    [Fact]
    public async Task GetCredentialsForIdentity_and_ListIdentities_have_quotas_of_their_own()
    {
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var pool = (await kit.Pool(null)).IdentityPoolId!;
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = await kit.Role(pool, "unauthenticated") } });
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!;

        var credentials = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Outcome(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest }))));
        Assert.Contains(credentials, o => o is TooManyRequestsException);
        Assert.Contains(credentials, o => o is null);
        var lists = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Outcome(() => kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 5 }))));
        Assert.Contains(lists, o => o is TooManyRequestsException);
        Assert.All(lists, o => Assert.True(o is null or TooManyRequestsException, o?.ToString()));

        // Operations Cognito gives no quota are not counted.
        var described = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = pool })));
        Assert.All(described, d => Assert.Equal(pool, d.IdentityPoolId));
    }
}
