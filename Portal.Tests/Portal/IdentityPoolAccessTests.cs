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

        // Nothing changed.
        var after = await Engine.Send(new DescribeIdentityPoolRequest { IdentityPoolId = pool });
        Assert.Equal(name, after.IdentityPoolName);
        Assert.Null((await Engine.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = pool })).Roles?.GetValueOrDefault("unauthenticated"));
        Assert.Empty((await Engine.Send(new ListRolePoliciesRequest { RoleName = name })).PolicyNames ?? []);
        Assert.Equal(identity, (await Engine.Send(new DescribeIdentityRequest { IdentityId = identity })).IdentityId);
    }
}
