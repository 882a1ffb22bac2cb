using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Infrastructure;
using ListTagsForResourceRequest = Portal.Client.Contract.IdentityPools.ListTagsForResourceRequest;
using TagResourceRequest = Portal.Client.Contract.IdentityPools.TagResourceRequest;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Identities disabled by unlinking their last login (hidden by ListIdentities' HideDisabled, refused
/// credentials), DeleteIdentities' unprocessed ids, developer provider names unique in the account, identity pool tags.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdentityLifecycleTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);

    [Fact]
    public async Task An_identity_whose_last_login_is_unlinked_is_disabled_hidden_on_request_and_no_guest()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app, guests: true)).IdentityPoolId!;
        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = await kit.Role(pool, "unauthenticated"), ["authenticated"] = await kit.Role(pool, "authenticated") },
        });
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var unlinked = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId!;
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!;
        var keptUser = await kit.SignIn(app);
        var kept = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [keptUser.ProviderName] = keptUser.IdToken } })).IdentityId!;

        await kit.Anonymous.Send(new UnlinkIdentityRequest { IdentityId = unlinked, Logins = logins, LoginsToRemove = [user.ProviderName] });

        var all = await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 });
        Assert.Equal(new[] { unlinked, guest, kept }.Order(), all.Identities!.Select(i => i.IdentityId).Order());
        Assert.Empty(all.Identities!.Single(i => i.IdentityId == unlinked).Logins!);
        var enabled = await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60, HideDisabled = true });
        Assert.Equal(new[] { guest, kept }.Order(), enabled.Identities!.Select(i => i.IdentityId).Order());

        // Without logins it is not a guest identity anyone holding its id could use.
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = unlinked }));
        Assert.Equal($"Access to Identity '{unlinked}' is forbidden.", refused.Message);
        // The guest still is one, and the login names a new identity.
        Assert.Equal(guest, (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest })).IdentityId);
        var again = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId;
        Assert.NotEqual(unlinked, again);
    }

    [Fact]
    public async Task Unlinking_a_developer_users_last_identifier_disables_the_identity()
    {
        var developer = PortalServer.Unique("dev") + ".example.app";
        var pool = (await kit.Pool(null, guests: false, developer: developer)).IdentityPoolId!;
        var id = (await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [developer] = "bob" } })).IdentityId!;
        await kit.Admin.Send(new UnlinkDeveloperIdentityRequest { IdentityId = id, IdentityPoolId = pool, DeveloperProviderName = developer, DeveloperUserIdentifier = "bob" });
        var enabled = await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60, HideDisabled = true });
        Assert.Empty(enabled.Identities!);
        Assert.Single((await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 })).Identities!);
    }

    [Fact]
    public async Task DeleteIdentities_answers_the_ids_it_did_not_delete_and_deletes_the_rest()
    {
        var pool = (await kit.Pool(null)).IdentityPoolId!;
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!;
        var missing = "us-east-1:00000000-0000-4000-8000-000000000000";
        const string malformed = "not-an-identity";

        var answer = await kit.Admin.Send(new DeleteIdentitiesRequest { IdentityIdsToDelete = [guest, missing, malformed] });

        Assert.Equal([(missing, "AccessDenied"), (malformed, "AccessDenied")],
            answer.UnprocessedIdentityIds!.Select(u => (u.IdentityId!, u.ErrorCode!)).ToList());
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DescribeIdentityRequest { IdentityId = guest }));
        var clean = await kit.Admin.Send(new DeleteIdentitiesRequest { IdentityIdsToDelete = [(await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!] });
        Assert.Empty(clean.UnprocessedIdentityIds!);
    }

    [Fact]
    public async Task A_developer_provider_name_belongs_to_one_identity_pool_of_the_account()
    {
        var developer = PortalServer.Unique("dev") + ".example.app";
        var first = (await kit.Pool(null, developer: developer)).IdentityPoolId!;

        var taken = await Assert.ThrowsAsync<ResourceConflictException>(() => kit.Pool(null, developer: developer));
        Assert.Equal($"Developer provider name '{developer}' is already used by another identity pool of this account.", taken.Message);
        var other = (await kit.Pool(null)).IdentityPoolId!;
        var update = await Assert.ThrowsAsync<ResourceConflictException>(() => kit.Admin.Send(new UpdateIdentityPoolRequest
        {
            IdentityPoolId = other, IdentityPoolName = "other", AllowUnauthenticatedIdentities = true, DeveloperProviderName = developer,
        }));
        Assert.Equal(taken.Message, update.Message);
        Assert.Null((await kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = other })).DeveloperProviderName);
        Assert.Equal(developer, (await kit.Admin.Send(new DescribeIdentityPoolRequest { IdentityPoolId = first })).DeveloperProviderName);

        // Two pools claiming a new name at once: the database lets one have it.
        var contested = PortalServer.Unique("race") + ".example.app";
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                return (await kit.Pool(null, developer: contested)).IdentityPoolId;
            }
            catch (ResourceConflictException)
            {
                return null;
            }
        }));
        Assert.Single(attempts, a => a is not null);
        // A deleted pool gives its name back.
        await kit.Admin.Send(new DeleteIdentityPoolRequest { IdentityPoolId = first });
        Assert.Equal(developer, (await kit.Pool(null, developer: developer)).DeveloperProviderName);
    }

    [Fact]
    public async Task Identity_pool_tags_follow_the_tagging_rules_of_user_pools()
    {
        var tooMany = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v");
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "tagged", AllowUnauthenticatedIdentities = true, IdentityPoolTags = tooMany,
        }));
        Assert.Equal("An identity pool can have at most 50 tags.", refused.Message);
        var reserved = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "tagged", AllowUnauthenticatedIdentities = true, IdentityPoolTags = new() { ["aws:owner"] = "x" },
        }));
        Assert.Equal("Tag key aws:owner is not valid: the aws: prefix is reserved for AWS use.", reserved.Message);

        var pool = (await kit.Pool(null)).IdentityPoolId!;
        var arn = $"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{pool}";
        await kit.Admin.Send(new TagResourceRequest { ResourceArn = arn, Tags = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", i => "v") });
        var full = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new TagResourceRequest { ResourceArn = arn, Tags = new() { ["one-more"] = "v" } }));
        Assert.Equal("An identity pool can have at most 50 tags.", full.Message);
        Assert.Equal(50, (await kit.Admin.Send(new ListTagsForResourceRequest { ResourceArn = arn })).Tags!.Count);
    }
}
