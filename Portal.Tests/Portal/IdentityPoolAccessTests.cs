using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>The server refuses what the identity pool and IAM pages hide: a viewer's or an operator's change is an
/// AccessDeniedException and changes nothing; reads and the simulator stay open to them.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdentityPoolAccessTests(PortalServer server)
{
    sealed class Signed(params Claim[] claims) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    OperatorCognito As(string group) => new(Engine, new Signed(new Claim("cognito:username", "op-" + group), new Claim("cognito:groups", group)),
        TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());

    [Theory]
    [InlineData("viewers")]
    [InlineData("operators")]
    public async Task Only_an_administrator_changes_identity_pools_and_roles_or_mints_credentials(string group)
    {
        var name = "access-" + Guid.NewGuid().ToString("n")[..8];
        var pool = (await Engine.Send(new CreateIdentityPoolRequest { IdentityPoolName = name, AllowUnauthenticatedIdentities = true })).IdentityPoolId!;
        var role = (await Engine.Send(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(pool, false) })).Role!;
        var caller = As(group);

        Assert.Contains((await caller.Send(new ListIdentityPoolsRequest { MaxResults = 60 })).IdentityPools!, p => p.IdentityPoolId == pool);
        Assert.Equal(role.Arn, (await caller.Send(new GetRoleRequest { RoleName = name })).Role!.Arn);

        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = role.Arn! } }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new UpdateIdentityPoolRequest { IdentityPoolId = pool, IdentityPoolName = "renamed", AllowUnauthenticatedIdentities = false }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new DeleteIdentityPoolRequest { IdentityPoolId = pool }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new UpdateAssumeRolePolicyRequest { RoleName = name, PolicyDocument = TrustPolicies.ForIdentityPool(pool, true) }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new PutRolePolicyRequest { RoleName = name, PolicyName = "all", PolicyDocument = TrustPolicies.EmptyPermissions }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new CreateRoleRequest { RoleName = name + "-2", AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(pool, true) }));
        // Reads by their names, but they create identities and mint credentials.
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new GetIdRequest { IdentityPoolId = pool }));
        var identity = (await Engine.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!;
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new GetCredentialsForIdentityRequest { IdentityId = identity }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new DeleteIdentitiesRequest { IdentityIdsToDelete = [identity] }));
        var poolArn = (await caller.Send(new DescribeAccountRequest())).IdentityPoolArn(pool);
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new global::Portal.Client.Contract.IdentityPools.TagResourceRequest
        {
            ResourceArn = poolArn, Tags = new() { ["team"] = "x" },
        }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => caller.Send(new TagRoleRequest { RoleName = name, Tags = [new() { Key = "team", Value = "x" }] }));

        // Nothing changed.
        var after = await Engine.Send(new DescribeIdentityPoolRequest { IdentityPoolId = pool });
        Assert.Equal(name, after.IdentityPoolName);
        Assert.Null((await Engine.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = pool })).Roles?.GetValueOrDefault("unauthenticated"));
        Assert.Empty((await Engine.Send(new ListRolePoliciesRequest { RoleName = name })).PolicyNames ?? []);
        Assert.Equal(identity, (await Engine.Send(new DescribeIdentityRequest { IdentityId = identity })).IdentityId);
        Assert.Empty(after.IdentityPoolTags ?? []);
        Assert.Empty((await Engine.Send(new ListRoleTagsRequest { RoleName = name })).Tags!);
    }

    [Fact]
    public async Task Only_an_administrator_unlinks_a_login_without_its_token_and_the_unlink_is_audited()
    {
        var kit = new IdentityPoolApi.IdentityKit(server);
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        var identity = (await Engine.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [user.ProviderName] = user.IdToken } })).IdentityId!;
        var unlink = new UnlinkIdentityLoginsRequest { IdentityId = identity, LoginsToRemove = [user.ProviderName] };

        // A viewer's and an operator's requests, sent past the page that hides the button: refused, the login stays.
        foreach (var group in new[] { "viewers", "operators" })
            await Assert.ThrowsAsync<AccessDeniedException>(() => As(group).Send(unlink));
        Assert.Equal([user.ProviderName], (await Engine.Send(new DescribeIdentityRequest { IdentityId = identity })).Logins);

        var administrator = As("administrators");
        var answer = await administrator.Send(unlink);
        Assert.Empty(answer.Logins!);
        Assert.Empty((await Engine.Send(new DescribeIdentityRequest { IdentityId = identity })).Logins ?? []);
        // The login now names a new identity, as after UnlinkIdentity.
        var next = (await Engine.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [user.ProviderName] = user.IdToken } })).IdentityId;
        Assert.NotEqual(identity, next);
        // Left with no login, the identity is disabled as after UnlinkIdentity: HideDisabled leaves it out.
        var listed = await Engine.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 });
        Assert.Contains(listed.Identities!, i => i.IdentityId == identity);
        var shown = await Engine.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60, HideDisabled = true });
        Assert.DoesNotContain(shown.Identities!, i => i.IdentityId == identity);

        var entry = Assert.Single((await Engine.Send(new ListAuditEntriesRequest { Actor = "op-administrators", Action = "UnlinkIdentityLogins", Limit = 100 })).Entries!,
            e => e.Target == identity);
        Assert.Contains(user.ProviderName, entry.After);
        // A login the identity does not hold, and a developer login, are refused by name.
        var missing = await Assert.ThrowsAsync<InvalidParameterException>(() => administrator.Send(unlink));
        Assert.Equal($"Identity '{identity}' holds no login of {user.ProviderName}.", missing.Message);
    }

    [Fact]
    public async Task Only_an_administrator_changes_gateway_routes_even_past_the_page()
    {
        var id = PortalServer.Unique("gw-attack");
        var put = new PutGatewayRouteRequest { Route = new GatewayRouteType { Id = id, Kind = "JwtApi", PathPrefix = "/" + id, Backend = "http://127.0.0.1:9/" } };
        // A viewer's and an operator's requests, sent past the page that hides the editor: refused, nothing stored.
        foreach (var group in new[] { "viewers", "operators" })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => As(group).Send(put));
            await Assert.ThrowsAsync<AccessDeniedException>(() => As(group).Send(new DeleteGatewayRouteRequest { Id = id }));
        }
        Assert.DoesNotContain((await As("viewers").Send(new ListGatewayRoutesRequest())).Routes!, r => r.Id == id);
    }
}
