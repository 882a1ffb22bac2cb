using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

[Collection(ServerCollection.Name)]
public sealed class DomainAndTagTests(PortalServer server)
{
    readonly RemoteCognito cognito = Api.Signed(server);

    [Fact]
    public async Task A_created_domain_is_described_and_shown_on_the_pool()
    {
        var pool = await cognito.NewPool();
        var domain = Api.Unique("login");
        var created = await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain });
        Assert.Equal(1, created.ManagedLoginVersion);

        var description = (await cognito.Send(new DescribeUserPoolDomainRequest { Domain = domain })).DomainDescription!;
        Assert.Equal(pool.Id, description.UserPoolId);
        Assert.Equal("000000000000", description.AWSAccountId);
        Assert.Equal(domain, description.Domain);
        Assert.Equal("ACTIVE", description.Status);
        Assert.Matches("^[0-9]{14}$", description.Version!);
        Assert.Equal(1, description.ManagedLoginVersion);
        Assert.Null(description.CustomDomainConfig);
        Assert.Equal(domain, (await cognito.Describe(pool.Id!)).Domain);
    }

    [Fact]
    public async Task An_unknown_domain_is_an_empty_description()
    {
        var description = (await cognito.Send(new DescribeUserPoolDomainRequest { Domain = Api.Unique("nobody") })).DomainDescription;
        Assert.NotNull(description);
        Assert.Equal(new DomainDescriptionType(), description);
    }

    [Fact]
    public async Task CreateUserPoolDomain_refuses_taken_reserved_and_malformed_domains()
    {
        var pool = await cognito.NewPool();
        var other = await cognito.NewPool();
        var domain = Api.Unique("taken");
        await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain });

        var taken = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = other.Id, Domain = domain }));
        Assert.Equal("Domain already associated with another user pool.", taken.Message);
        var second = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool.Id, Domain = Api.Unique("second") }));
        Assert.Contains("already has a domain", second.Message);
        var reserved = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = other.Id, Domain = "my-cognito-login" }));
        Assert.Equal("Domain cannot contain reserved word: cognito", reserved.Message);
        var malformed = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = other.Id, Domain = "Not_Valid" }));
        Assert.Contains("'domain'", malformed.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = other.Id, Domain = Api.Unique("v3"), ManagedLoginVersion = 3 }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = "us-east-1_Missing00", Domain = Api.Unique("orphan") }));
        Assert.Null((await cognito.Describe(other.Id!)).Domain);
    }

    [Fact]
    public async Task UpdateUserPoolDomain_changes_the_managed_login_version()
    {
        var pool = await cognito.NewPool();
        var domain = Api.Unique("brand");
        await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain });

        var updated = await cognito.Send(new UpdateUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain, ManagedLoginVersion = 2 });
        Assert.Equal(2, updated.ManagedLoginVersion);
        Assert.Equal(2, (await cognito.Send(new DescribeUserPoolDomainRequest { Domain = domain })).DomainDescription!.ManagedLoginVersion);

        var other = await cognito.NewPool();
        var wrongPool = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new UpdateUserPoolDomainRequest { UserPoolId = other.Id, Domain = domain, ManagedLoginVersion = 1 }));
        Assert.Equal("No such domain or user pool exists.", wrongPool.Message);

        var lite = await cognito.NewPool(new CreateUserPoolRequest { UserPoolTier = "LITE" });
        await Assert.ThrowsAsync<FeatureUnavailableInTierException>(() =>
            cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = lite.Id, Domain = Api.Unique("lite"), ManagedLoginVersion = 2 }));
    }

    [Fact]
    public async Task DeleteUserPoolDomain_frees_the_domain()
    {
        var pool = await cognito.NewPool();
        var domain = Api.Unique("bye");
        await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain });
        var other = await cognito.NewPool();
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new DeleteUserPoolDomainRequest { UserPoolId = other.Id, Domain = domain }));

        await cognito.Send(new DeleteUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain });

        Assert.Null((await cognito.Send(new DescribeUserPoolDomainRequest { Domain = domain })).DomainDescription!.Domain);
        Assert.Null((await cognito.Describe(pool.Id!)).Domain);
        var again = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new DeleteUserPoolDomainRequest { UserPoolId = pool.Id, Domain = domain }));
        Assert.Equal("No such domain or user pool exists.", again.Message);
        await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = other.Id, Domain = domain });
    }

    [Fact]
    public async Task Tags_are_added_listed_removed_and_shown_as_UserPoolTags()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { UserPoolTags = new() { ["stage"] = "test" } });
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "test" },
            (await cognito.Send(new ListTagsForResourceRequest { ResourceArn = pool.Arn })).Tags);

        await cognito.Send(new TagResourceRequest { ResourceArn = pool.Arn, Tags = new() { ["stage"] = "prod", ["team"] = "identity", ["empty"] = "" } });
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "prod", ["team"] = "identity", ["empty"] = "" },
            (await cognito.Send(new ListTagsForResourceRequest { ResourceArn = pool.Arn })).Tags);

        await cognito.Send(new UntagResourceRequest { ResourceArn = pool.Arn, TagKeys = ["stage", "not-there"] });
        var tags = (await cognito.Send(new ListTagsForResourceRequest { ResourceArn = pool.Arn })).Tags!;
        Assert.Equal(["empty", "team"], tags.Keys.Order());
        Assert.Equal(tags, (await cognito.Describe(pool.Id!)).UserPoolTags);
    }

    [Fact]
    public async Task Tagging_refuses_unknown_ARNs_and_invalid_tags()
    {
        var pool = await cognito.NewPool();
        var unknown = $"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Missing00";
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new ListTagsForResourceRequest { ResourceArn = unknown }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new TagResourceRequest { ResourceArn = unknown, Tags = new() { ["a"] = "b" } }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new UntagResourceRequest { ResourceArn = unknown, TagKeys = ["a"] }));
        var otherAccount = pool.Arn!.Replace(":000000000000:", ":111111111111:");
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new ListTagsForResourceRequest { ResourceArn = otherAccount }));
        var malformed = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListTagsForResourceRequest { ResourceArn = "not-an-arn" }));
        Assert.Contains("'resourceArn'", malformed.Message);

        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new TagResourceRequest { ResourceArn = pool.Arn, Tags = new() { ["aws:reserved"] = "x" } }));
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new TagResourceRequest { ResourceArn = pool.Arn, Tags = new() { ["long"] = new string('v', 257) } }));
        await cognito.Send(new TagResourceRequest { ResourceArn = pool.Arn, Tags = Enumerable.Range(1, 50).ToDictionary(i => $"k{i}", i => "v") });
        var tooMany = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new TagResourceRequest { ResourceArn = pool.Arn, Tags = new() { ["k51"] = "v" } }));
        Assert.Contains("50", tooMany.Message);
        Assert.Equal(50, (await cognito.Send(new ListTagsForResourceRequest { ResourceArn = pool.Arn })).Tags!.Count);
    }
}
