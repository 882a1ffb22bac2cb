using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Server;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Admin;

/// <summary>The portal's ICognito: roles decide what an operator may send, and every change is audited without secrets.</summary>
[Collection(ServerCollection.Name)]
public sealed class OperatorCognitoTests(PortalServer server)
{
    sealed class Signed(params Claim[] claims) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, claims.Length == 0 ? null : "test"))));
    }

    OperatorCognito As(string? group) => new(server.Services.GetRequiredService<Dispatcher>(),
        group is null ? new Signed() : new Signed(new Claim("cognito:username", "op-" + group), new Claim("cognito:groups", group)),
        server.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
        server.Services.GetRequiredService<AdministrationPool>());

    string AdminPool => server.Services.GetRequiredService<Bootstrap>().Created!.AdminPoolId;

    async Task<string> Pool() => (await server.Services.GetRequiredService<Dispatcher>()
        .Send(new CreateUserPoolRequest { PoolName = "roles-" + Guid.NewGuid().ToString("n")[..6] })).UserPool!.Id!;

    [Fact]
    public async Task A_viewer_reads_but_cannot_change_anything()
    {
        var pool = await Pool();
        var viewer = As("viewers");
        var described = await viewer.Send(new DescribeUserPoolRequest { UserPoolId = pool });
        Assert.Equal(pool, described.UserPool!.Id);
        var e = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            viewer.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "nobody", MessageAction = "SUPPRESS" }));
        Assert.Contains("viewer", e.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => viewer.Send(new DeleteUserPoolRequest { UserPoolId = pool }));
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            server.Services.GetRequiredService<Dispatcher>().Send(new AdminGetUserRequest { UserPoolId = pool, Username = "nobody" }));
    }

    [Fact]
    public async Task An_operator_manages_users_but_not_pools()
    {
        var pool = await Pool();
        var op = As("operators");
        await op.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "made-by-operator", MessageAction = "SUPPRESS" });
        await Assert.ThrowsAsync<AccessDeniedException>(() => op.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "x" }));
    }

    [Fact]
    public async Task An_operator_cannot_make_itself_administrator_or_touch_the_administration_pool()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var admin = AdminPool;
        var name = PortalServer.Unique("op");
        await engine.Send(new AdminCreateUserRequest { UserPoolId = admin, Username = name, MessageAction = "SUPPRESS" });
        await engine.Send(new AdminAddUserToGroupRequest { UserPoolId = admin, Username = name, GroupName = "operators" });
        var op = new OperatorCognito(engine, new Signed(new Claim("cognito:username", name), new Claim("cognito:groups", "operators")),
            server.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, server.Services.GetRequiredService<AdministrationPool>());

        var e = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminAddUserToGroupRequest { UserPoolId = admin, Username = name, GroupName = "administrators" }));
        Assert.Contains("administration pool", e.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminSetUserPasswordRequest { UserPoolId = admin, Username = "admin", Password = "Taken-0ver-Passw0rd!", Permanent = true }));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = admin, Username = "admin", GroupName = "administrators" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminCreateUserRequest { UserPoolId = admin, Username = PortalServer.Unique("sock"), MessageAction = "SUPPRESS" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new UpdateGroupRequest { UserPoolId = admin, GroupName = "operators", Description = "now administrators" }));

        var groups = await engine.Send(new AdminListGroupsForUserRequest { UserPoolId = admin, Username = name });
        Assert.Equal(["operators"], groups.Groups!.Select(g => g.GroupName));
        // Reading the administration pool, and managing users of any other pool, stay allowed.
        Assert.Equal(name, (await op.Send(new AdminGetUserRequest { UserPoolId = admin, Username = name })).Username);
        var other = await Pool();
        await op.Send(new AdminCreateUserRequest { UserPoolId = other, Username = "fine", MessageAction = "SUPPRESS" });
    }

    [Fact]
    public async Task Only_administrators_read_client_secrets_and_identity_provider_keys()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = await Pool();
        var client = (await engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "server-app", GenerateSecret = true })).UserPoolClient!;
        await engine.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Google", ProviderType = "Google",
            ProviderDetails = new() { ["client_id"] = "google-client", ["client_secret"] = "google-secret-value", ["authorize_scopes"] = "openid email" },
            AttributeMapping = new() { ["email"] = "email" },
        });

        foreach (var group in new[] { "viewers", "operators" })
        {
            var described = await As(group).Send(new DescribeUserPoolClientRequest { UserPoolId = pool, ClientId = client.ClientId });
            Assert.Equal(OperatorCognito.Hidden, described.UserPoolClient!.ClientSecret);
            var idp = await As(group).Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Google" });
            Assert.Equal(OperatorCognito.Hidden, idp.IdentityProvider!.ProviderDetails!["client_secret"]);
            Assert.Equal("google-client", idp.IdentityProvider.ProviderDetails["client_id"]);
        }
        var asAdmin = await As("administrators").Send(new DescribeUserPoolClientRequest { UserPoolId = pool, ClientId = client.ClientId });
        Assert.Equal(client.ClientSecret, asAdmin.UserPoolClient!.ClientSecret);
        var idpAdmin = await As("administrators").Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Google" });
        Assert.Equal("google-secret-value", idpAdmin.IdentityProvider!.ProviderDetails!["client_secret"]);
    }

    [Fact]
    public async Task Without_a_portal_role_nothing_is_allowed()
    {
        var e = await Assert.ThrowsAsync<AccessDeniedException>(() => As(null).Send(new ListUserPoolsRequest { MaxResults = 10 }));
        Assert.Contains("not signed in", e.Message);
    }

    [Fact]
    public async Task Changes_are_audited_without_secrets()
    {
        var pool = await Pool();
        var admin = As("administrators");
        await admin.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "audited", MessageAction = "SUPPRESS", TemporaryPassword = "Temp-Secret-123" });
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var entry = await db.Audit.Where(a => a.UserPoolId == pool).SingleAsync();
        Assert.Equal("AdminCreateUser", entry.Action);
        Assert.Equal("op-administrators", entry.Actor);
        Assert.Equal("audited", entry.Target);
        Assert.DoesNotContain("Temp-Secret-123", entry.After);
        Assert.Contains("***", entry.After);
    }

    [Fact]
    public async Task The_audit_log_lists_changes_newest_first_and_filters()
    {
        var pool = await Pool();
        var admin = As("administrators");
        await admin.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "first" });
        await admin.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "second" });
        var viewer = As("viewers");
        var log = await viewer.Send(new ListAuditEntriesRequest { UserPoolId = pool, Limit = 1 });
        Assert.Equal("second", Assert.Single(log.Entries!).Target);
        var older = await viewer.Send(new ListAuditEntriesRequest { UserPoolId = pool, Limit = 1, NextToken = log.NextToken });
        Assert.Equal("first", Assert.Single(older.Entries!).Target);
        var byAction = await viewer.Send(new ListAuditEntriesRequest { UserPoolId = pool, Action = "DeleteUserPool" });
        Assert.Empty(byAction.Entries!);
    }
}
