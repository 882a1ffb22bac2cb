using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Developer-authenticated identities: registration by a backend (signed), the token the app then presents
/// under cognito-identity.amazonaws.com, lookup, merge and unlink.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeveloperIdentityTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);
    // Developer provider names are unique in the account, so each test's pool has its own.
    readonly string Developer = PortalServer.Unique("login") + ".example.app";

    [Fact]
    public async Task A_developer_user_gets_one_identity_and_a_token_the_app_can_present()
    {
        var pool = (await kit.Pool(null, guests: false, developer: Developer)).IdentityPoolId!;
        var first = await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest
        {
            IdentityPoolId = pool, Logins = new() { [Developer] = "alice" }, TokenDuration = 3600,
            PrincipalTags = new() { ["department"] = "sales" },
        });
        var again = await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "alice" } });
        Assert.Equal(first.IdentityId, again.IdentityId);

        var claims = IdentityKit.Claims(first.Token!);
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(900, IdentityKit.Claims(again.Token!).GetProperty("exp").GetInt64() - IdentityKit.Claims(again.Token!).GetProperty("iat").GetInt64());
        Assert.Equal(["authenticated", Developer, $"{Developer}:{pool}:alice"], claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("sales", claims.GetProperty("https://aws.amazon.com/tags").GetProperty("principal_tags").GetProperty("department")[0].GetString());

        // The app presents the token as Cognito's developer flow does.
        var byToken = await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = first.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = first.Token! } });
        Assert.Equal(first.IdentityId, byToken.IdentityId);
        Assert.Equal("authenticated", IdentityKit.Claims(byToken.Token!).GetProperty("amr")[0].GetString());
        var otherIdentity = (await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "bob" } })).IdentityId;
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetOpenIdTokenRequest
        {
            IdentityId = otherIdentity, Logins = new() { ["cognito-identity.amazonaws.com"] = first.Token! },
        }));

        var registered = await Assert.ThrowsAsync<DeveloperUserAlreadyRegisteredException>(() => kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest
        {
            IdentityPoolId = pool, IdentityId = otherIdentity, Logins = new() { [Developer] = "alice" },
        }));
        Assert.Equal("The provided developer user identifier is already registered with Cognito under a different identity ID.", registered.Message);

        // Registering needs SigV4, as in Cognito.
        await Assert.ThrowsAnyAsync<CognitoException>(() => kit.Anonymous.Send(new GetOpenIdTokenForDeveloperIdentityRequest
        {
            IdentityPoolId = pool, Logins = new() { [Developer] = "mallory" },
        }));
        // A pool without a developer provider, or Logins without it, refuses.
        var plain = (await kit.Pool(null)).IdentityPoolId;
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = plain, Logins = new() { [Developer] = "x" } }));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { ["other.app"] = "x" } }));
    }

    [Fact]
    public async Task Developer_identities_are_looked_up_merged_and_unlinked()
    {
        var pool = (await kit.Pool(null, developer: Developer)).IdentityPoolId!;
        var alice = (await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "alice" } })).IdentityId;
        var bob = (await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "bob" } })).IdentityId;

        var found = await kit.Admin.Send(new LookupDeveloperIdentityRequest { IdentityPoolId = pool, DeveloperUserIdentifier = "alice", MaxResults = 10 });
        Assert.Equal(alice, found.IdentityId);
        Assert.Equal(["alice"], found.DeveloperUserIdentifierList);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new LookupDeveloperIdentityRequest { IdentityPoolId = pool, DeveloperUserIdentifier = "nobody" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new LookupDeveloperIdentityRequest { IdentityPoolId = pool }));

        var merged = await kit.Admin.Send(new MergeDeveloperIdentitiesRequest
        {
            IdentityPoolId = pool, DeveloperProviderName = Developer, SourceUserIdentifier = "bob", DestinationUserIdentifier = "alice",
        });
        Assert.Equal(alice, merged.IdentityId);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DescribeIdentityRequest { IdentityId = bob }));
        var both = await kit.Admin.Send(new LookupDeveloperIdentityRequest { IdentityPoolId = pool, IdentityId = alice });
        Assert.Equal(["alice", "bob"], both.DeveloperUserIdentifierList!.Order());
        var paged = await kit.Admin.Send(new LookupDeveloperIdentityRequest { IdentityPoolId = pool, IdentityId = alice, MaxResults = 1 });
        Assert.Single(paged.DeveloperUserIdentifierList!);
        var second = await kit.Admin.Send(new LookupDeveloperIdentityRequest { IdentityPoolId = pool, IdentityId = alice, MaxResults = 1, NextToken = paged.NextToken });
        Assert.Equal(["alice", "bob"], paged.DeveloperUserIdentifierList!.Concat(second.DeveloperUserIdentifierList!).Order());
        Assert.Equal(alice, (await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "bob" } })).IdentityId);

        await kit.Admin.Send(new UnlinkDeveloperIdentityRequest
        {
            IdentityPoolId = pool, IdentityId = alice, DeveloperProviderName = Developer, DeveloperUserIdentifier = "bob",
        });
        var bobAgain = (await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "bob" } })).IdentityId;
        Assert.NotEqual(alice, bobAgain);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new UnlinkDeveloperIdentityRequest
        {
            IdentityPoolId = pool, IdentityId = alice, DeveloperProviderName = Developer, DeveloperUserIdentifier = "bob",
        }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new MergeDeveloperIdentitiesRequest
        {
            IdentityPoolId = pool, DeveloperProviderName = Developer, SourceUserIdentifier = "nobody", DestinationUserIdentifier = "alice",
        }));
    }
}
