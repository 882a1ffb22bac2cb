using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Remote;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Another instance on the first one's database (its SQLite data folder) behind the same public URL, as
/// instances behind one load balancer are.</summary>
public sealed class SharedDatabaseInstance(PortalServer first) : PortalServer
{
    readonly string dataFolder = first.DataFolder;
    readonly string publicUrl = first.BaseUrl;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Storage:DataFolder"] = dataFolder,
        ["Portal:PublicBaseUrl"] = publicUrl,
    };

    public RemoteCognito Anonymous => new(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") }, null);
}

/// <summary>
/// The per-instance caches of the credentials' hot path (the pool, the role and its parsed trust policy, the user pool's
/// keys) never outlive a change made through the instance, and outlive one made through another instance sharing the
/// database by <see cref="ConfigCache{T}.Ttl"/> at most: a role that stops trusting the pool, a deleted role, a pool whose
/// providers or guest access changed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ConfigCacheTests(PortalServer server)
{
    const string InvalidConfiguration = "Invalid identity pool configuration. Check assigned IAM roles for this pool.";
    readonly IdentityKit kit = new(server);
    // IAM's operations through the engine (the remote client speaks the Cognito protocols only).
    global::Portal.Server.Engine.Dispatcher Iam => server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();

    sealed record Setup(string Pool, string Identity, Dictionary<string, string> Logins, string RoleName, string RoleArn);

    /// <summary>A pool trusting a user pool's client (guests allowed), its authenticated role (Cognito's trust policy), and
    /// a signed-in user's identity that has had credentials once (so everything is cached).</summary>
    async Task<Setup> SignedInWithCredentials(ICognito? via = null)
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId!;
        var roleName = PortalServer.Unique("cached");
        var roleArn = await kit.Role(pool, "authenticated", roleName);
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = roleArn } });
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var identity = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId!;
        var credentials = await (via ?? kit.Anonymous).Send(new GetCredentialsForIdentityRequest { IdentityId = identity, Logins = logins });
        Assert.StartsWith("ASIA", credentials.Credentials!.AccessKeyId);
        return new Setup(pool, identity, logins, roleName, roleArn);
    }

    static string TrustFor(string otherPool) => global::Portal.Client.Components.IdentityPools.TrustPolicies.ForIdentityPool(otherPool, true);

    [Fact]
    public async Task A_trust_policy_that_stops_trusting_the_pool_is_honoured_at_once_on_the_same_instance()
    {
        var s = await SignedInWithCredentials();
        await Iam.Send(new UpdateAssumeRolePolicyRequest { RoleName = s.RoleName, PolicyDocument = TrustFor("us-east-1:00000000-0000-0000-0000-000000000000") });

        var refused = await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins }));
        Assert.Equal(InvalidConfiguration, refused.Message);

        // Trusted again: the next call is answered, again with no wait.
        await Iam.Send(new UpdateAssumeRolePolicyRequest { RoleName = s.RoleName, PolicyDocument = TrustFor(s.Pool) });
        var again = await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins });
        Assert.Equal(s.RoleArn, (await kit.Session(again.Credentials!.SessionToken!)).RoleArn);
    }

    [Fact]
    public async Task A_deleted_role_gets_no_more_credentials_at_once()
    {
        var s = await SignedInWithCredentials();
        await Iam.Send(new DeleteRoleRequest { RoleName = s.RoleName });

        var refused = await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins }));
        Assert.Equal(InvalidConfiguration, refused.Message);
    }

    [Fact]
    public async Task A_pool_that_no_longer_lists_the_user_pool_or_guests_refuses_them_at_once()
    {
        var s = await SignedInWithCredentials();
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = s.Pool })).IdentityId!;
        var described = await kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = s.Pool });
        await kit.Admin.Send(new UpdateIdentityPoolRequest
        {
            IdentityPoolId = s.Pool, IdentityPoolName = described.IdentityPoolName, AllowUnauthenticatedIdentities = false, CognitoIdentityProviders = [],
        });

        var signedIn = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins }));
        Assert.Equal("Token is not from a supported provider of this identity pool.", signedIn.Message);
        var guests = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = s.Pool }));
        Assert.Equal("Unauthenticated access is not supported for this identity pool.", guests.Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest }));
    }

    [Fact]
    public async Task Another_instance_sharing_the_database_honours_a_change_within_the_documented_delay()
    {
        using var other = new SharedDatabaseInstance(server);
        var s = await SignedInWithCredentials(via: other.Anonymous);
        var second = await SignedInWithCredentials(via: other.Anonymous);

        // Through the first instance: the role stops trusting the pool; the second pool stops listing its user pool.
        await Iam.Send(new UpdateAssumeRolePolicyRequest { RoleName = s.RoleName, PolicyDocument = TrustFor("us-east-1:00000000-0000-0000-0000-000000000000") });
        var described = await kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = second.Pool });
        await kit.Admin.Send(new UpdateIdentityPoolRequest
        {
            IdentityPoolId = second.Pool, IdentityPoolName = described.IdentityPoolName, AllowUnauthenticatedIdentities = true, CognitoIdentityProviders = [],
        });

        // The other instance's cached copies are at most ConfigCache's delay old: past it, both changes hold there too.
        other.Clock.Advance(ConfigCache<TrustedRole>.Ttl + TimeSpan.FromSeconds(1));
        var untrusted = await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            other.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins }));
        Assert.Equal(InvalidConfiguration, untrusted.Message);
        var unlisted = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            other.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = second.Identity, Logins = second.Logins }));
        Assert.Equal("Token is not from a supported provider of this identity pool.", unlisted.Message);
    }

    [Fact]
    public async Task Credentials_issued_on_two_instances_add_up_in_the_pools_usage_of_the_day()
    {
        using var other = new SharedDatabaseInstance(server);
        var s = await SignedInWithCredentials();
        for (var i = 0; i < 2; i++) await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins });
        for (var i = 0; i < 2; i++) await other.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity, Logins = s.Logins });
        // Refused calls are not counted.
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = s.Identity }));

        // This instance's counts are read with its usage; the other's arrive with its next flush (its timer, or its stop).
        var today = CredentialsUsage.DayOf(server.Clock.GetUtcNow());
        Assert.Equal(3, Today(await kit.Admin.Send(new DescribeIdentityPoolUsageRequest { IdentityPoolId = s.Pool, Days = 2 })));
        await other.Services.GetRequiredService<CredentialsUsage>().Flush(null, default);
        Assert.Equal(5, Today(await kit.Admin.Send(new DescribeIdentityPoolUsageRequest { IdentityPoolId = s.Pool, Days = 2 })));
        var stored = await kit.Auth.Db(async db => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Set<IdentityPoolUsageDayRow>(), d => d.IdentityPoolId == s.Pool));
        Assert.Equal((today, 5L), (stored.Day, stored.CredentialsIssued));

        long? Today(DescribeIdentityPoolUsageResponse usage) => Assert.Single(usage.Days!, d => d.Date == today).CredentialsIssued;
    }
}
