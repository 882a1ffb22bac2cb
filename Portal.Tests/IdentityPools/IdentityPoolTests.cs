using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Infrastructure;
using ListTagsForResourceRequest = Portal.Client.Contract.IdentityPools.ListTagsForResourceRequest;
using TagResourceRequest = Portal.Client.Contract.IdentityPools.TagResourceRequest;
using UntagResourceRequest = Portal.Client.Contract.IdentityPools.UntagResourceRequest;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Identity pools over the wire: create, describe, update, delete, list (paged), tags, and Cognito's errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdentityPoolTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);

    [Fact]
    public async Task A_pool_is_created_described_updated_and_deleted_with_every_member()
    {
        var app = await kit.UserPool();
        var developer = PortalServer.Unique("login") + ".example.app";
        var created = await kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "my pool",
            AllowUnauthenticatedIdentities = true,
            AllowClassicFlow = true,
            SupportedLoginProviders = new() { ["accounts.google.com"] = "google-app.apps.googleusercontent.com" },
            DeveloperProviderName = developer,
            CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = $"cognito-idp.us-east-1.amazonaws.com/{app.PoolId}", ClientId = app.ClientId }],
            OpenIdConnectProviderARNs = ["arn:aws:iam::000000000000:oidc-provider/login.example.com"],
            SamlProviderARNs = ["arn:aws:iam::000000000000:saml-provider/corp"],
            IdentityPoolTags = new() { ["team"] = "identity" },
        });
        Assert.Matches(@"^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", created.IdentityPoolId);
        Assert.Equal("my pool", created.IdentityPoolName);
        Assert.True(created.AllowUnauthenticatedIdentities);
        Assert.True(created.AllowClassicFlow);
        Assert.Equal(developer, created.DeveloperProviderName);
        Assert.False(created.CognitoIdentityProviders![0].ServerSideTokenCheck);
        Assert.Equal("identity", created.IdentityPoolTags!["team"]);

        var described = await kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = created.IdentityPoolId });
        Assert.Equal(created.IdentityPoolName, described.IdentityPoolName);
        Assert.Equal(created.SupportedLoginProviders, described.SupportedLoginProviders);
        Assert.Equal(created.OpenIdConnectProviderARNs, described.OpenIdConnectProviderARNs);
        Assert.Equal(created.SamlProviderARNs, described.SamlProviderARNs);
        Assert.Equal(created.CognitoIdentityProviders, described.CognitoIdentityProviders);

        var updated = await kit.Admin.Send(new UpdateIdentityPoolRequest
        {
            IdentityPoolId = created.IdentityPoolId, IdentityPoolName = "renamed", AllowUnauthenticatedIdentities = false,
            DeveloperProviderName = developer,
        });
        Assert.Equal("renamed", updated.IdentityPoolName);
        Assert.False(updated.AllowUnauthenticatedIdentities);
        Assert.False(updated.AllowClassicFlow);
        Assert.Empty(updated.SupportedLoginProviders!);
        Assert.Empty(updated.CognitoIdentityProviders!);
        Assert.Equal("identity", updated.IdentityPoolTags!["team"]);
        var developerChange = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new UpdateIdentityPoolRequest
        {
            IdentityPoolId = created.IdentityPoolId, IdentityPoolName = "renamed", AllowUnauthenticatedIdentities = false, DeveloperProviderName = "other.app",
        }));
        Assert.Contains("cannot be changed", developerChange.Message);

        await kit.Admin.Send(new DeleteIdentityPoolRequest { IdentityPoolId = created.IdentityPoolId });
        var gone = await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = created.IdentityPoolId }));
        Assert.Equal($"IdentityPool '{created.IdentityPoolId}' not found.", gone.Message);
    }

    [Fact]
    public async Task Pools_are_listed_page_by_page_and_tagged_by_ARN()
    {
        var made = new List<string>();
        for (var i = 0; i < 3; i++) made.Add((await kit.Pool(null)).IdentityPoolId!);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await kit.Admin.Send(new ListIdentityPoolsRequest { MaxResults = 2, NextToken = token });
            Assert.True(page.IdentityPools!.Count <= 2);
            seen.AddRange(page.IdentityPools.Select(p => p.IdentityPoolId!));
            token = page.NextToken;
        } while (token is not null);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Subset(seen.ToHashSet(), made.ToHashSet());

        var arn = $"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{made[0]}";
        await kit.Admin.Send(new TagResourceRequest { ResourceArn = arn, Tags = new() { ["a"] = "1", ["b"] = "2" } });
        await kit.Admin.Send(new UntagResourceRequest { ResourceArn = arn, TagKeys = ["a"] });
        var tags = await kit.Admin.Send(new ListTagsForResourceRequest { ResourceArn = arn });
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, tags.Tags);
        Assert.Equal("2", (await kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = made[0] })).IdentityPoolTags!["b"]);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new ListTagsForResourceRequest
        {
            ResourceArn = "arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:00000000-0000-0000-0000-000000000000",
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new TagResourceRequest { ResourceArn = arn, Tags = new() { ["aws:x"] = "1" } }));
    }

    [Fact]
    public async Task Bad_pools_are_refused_as_Cognito_refuses_them()
    {
        var noName = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest { AllowUnauthenticatedIdentities = true }));
        Assert.Contains("identityPoolName", noName.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest { IdentityPoolName = "x" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "x", AllowUnauthenticatedIdentities = true, SupportedLoginProviders = new() { ["login.unknown.com"] = "id" },
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "x", AllowUnauthenticatedIdentities = true, OpenIdConnectProviderARNs = ["arn:aws:iam::111111111111:oidc-provider/elsewhere.com"],
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "x", AllowUnauthenticatedIdentities = true, CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = "not-a-user-pool" }],
        }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DeleteIdentityPoolRequest { IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000000" }));
        // Management operations need SigV4, as Cognito's do.
        await Assert.ThrowsAnyAsync<CognitoException>(() => kit.Anonymous.Send(new ListIdentityPoolsRequest { MaxResults = 10 }));
    }
}
