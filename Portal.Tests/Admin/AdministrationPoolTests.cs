using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Server;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Admin;

/// <summary>Issue 13, items 1, 5 and 7 through the portal's ICognito: an operator cannot change the administration pool
/// (its own role least of all), secrets are for administrators, and an open session follows the operator's current state.</summary>
[Collection(ServerCollection.Name)]
public sealed class AdministrationPoolTests(PortalServer server)
{
    sealed class Fixed(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();
    string AdminPool => server.Services.GetRequiredService<Bootstrap>().Created!.AdminPoolId;

    OperatorCognito As(ClaimsPrincipal user, TimeProvider? clock = null, OperatorSessions? sessions = null) =>
        new(Engine, new Fixed(user), clock ?? TimeProvider.System,
            sessions ?? server.Services.GetRequiredService<OperatorSessions>());

    static ClaimsPrincipal Principal(string username, string group) => new(new ClaimsIdentity(
        [new Claim("cognito:username", username), new Claim("cognito:groups", group)], "test", "cognito:username", ClaimTypes.Role));

    async Task<string> Pool() => (await Engine.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("roles") })).UserPool!.Id!;

    /// <summary>A member of the administration pool's given group, as a user the portal knows.</summary>
    async Task<string> Member(string group)
    {
        var name = PortalServer.Unique("op");
        var created = await Engine.Send(new AdminCreateUserRequest { UserPoolId = AdminPool, Username = name, MessageAction = "SUPPRESS" });
        await Engine.Send(new AdminAddUserToGroupRequest { UserPoolId = AdminPool, Username = name, GroupName = group });
        return created.User!.Attributes!.First(a => a.Name == "sub").Value!;
    }

    [Fact]
    public async Task An_operator_cannot_make_itself_administrator_or_reset_the_administrators_password()
    {
        var sub = await Member("operators");
        var name = (await Engine.Send(new ListUsersRequest { UserPoolId = AdminPool, Filter = $"sub = \"{sub}\"" })).Users![0].Username!;
        var op = As(Principal(name, "operators"));

        var promoted = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminAddUserToGroupRequest { UserPoolId = AdminPool, Username = name, GroupName = "administrators" }));
        Assert.Contains("administration pool", promoted.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminSetUserPasswordRequest { UserPoolId = AdminPool, Username = "admin", Password = "Taken-Over-123!", Permanent = true }));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = AdminPool, Username = "admin", GroupName = "administrators" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            op.Send(new UpdateGroupRequest { UserPoolId = AdminPool, GroupName = "operators", Precedence = 0 }));
        var groups = await Engine.Send(new AdminListGroupsForUserRequest { UserPoolId = AdminPool, Username = name });
        Assert.Equal(["operators"], groups.Groups!.Select(g => g.GroupName));
        // Reading the administration pool stays allowed.
        Assert.NotEmpty((await op.Send(new ListUsersRequest { UserPoolId = AdminPool })).Users!);

        // The same operations on another pool are an operator's job.
        var pool = await Pool();
        await op.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "administrators" });
        await op.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "ada", MessageAction = "SUPPRESS" });
        await op.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "ada", GroupName = "administrators" });
        await op.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "ada", Password = "Ada-Passw0rd!", Permanent = true });

        // An administrator still manages the administration pool.
        var viewerSub = await Member("viewers");
        var viewer = (await Engine.Send(new ListUsersRequest { UserPoolId = AdminPool, Filter = $"sub = \"{viewerSub}\"" })).Users![0].Username!;
        await As(Principal("admin", "administrators")).Send(new AdminAddUserToGroupRequest { UserPoolId = AdminPool, Username = viewer, GroupName = "operators" });
    }

    [Fact]
    public async Task Viewers_and_operators_see_no_client_or_identity_provider_secret()
    {
        var pool = await Pool();
        var client = (await Engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "server", GenerateSecret = true })).UserPoolClient!;
        await Engine.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Google", ProviderType = "Google",
            ProviderDetails = new() { ["client_id"] = "google-id", ["client_secret"] = "google-secret-value", ["authorize_scopes"] = "openid email" },
        });

        foreach (var group in new[] { "viewers", "operators" })
        {
            var reader = As(Principal("reader", group));
            var described = (await reader.Send(new DescribeUserPoolClientRequest { UserPoolId = pool, ClientId = client.ClientId })).UserPoolClient!;
            Assert.Equal(OperatorRoles.HiddenSecret, described.ClientSecret);
            var idp = (await reader.Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Google" })).IdentityProvider!;
            Assert.Equal(OperatorRoles.HiddenSecret, idp.ProviderDetails!["client_secret"]);
            Assert.Equal("google-id", idp.ProviderDetails["client_id"]);
        }

        var admin = As(Principal("admin", "administrators"));
        Assert.Equal(client.ClientSecret, (await admin.Send(new DescribeUserPoolClientRequest { UserPoolId = pool, ClientId = client.ClientId })).UserPoolClient!.ClientSecret);
        Assert.Equal("google-secret-value",
            (await admin.Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Google" })).IdentityProvider!.ProviderDetails!["client_secret"]);
    }

    /// <summary>An open portal session of an operator: what its circuit's OperatorCognito sees, on a clock the test moves.</summary>
    async Task<(OperatorCognito Portal, FakeTimeProvider Clock, string Username, string Pool)> Session()
    {
        // The session began a few seconds ago: a global sign-out the server stamps now (in whole seconds) comes after it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(-5));
        var sessions = new OperatorSessions(server.Services.GetRequiredService<IServiceScopeFactory>(), server.Services.GetRequiredService<Bootstrap>(),
            server.Services.GetRequiredService<IOptions<AdminOptions>>(), Options.Create(new OperatorSessionOptions()), clock);
        var sub = await Member("operators");
        var name = (await Engine.Send(new ListUsersRequest { UserPoolId = AdminPool, Filter = $"sub = \"{sub}\"" })).Users![0].Username!;
        var user = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim("sub", sub), new Claim("cognito:username", name), new Claim("cognito:groups", "operators"), new Claim(ClaimTypes.Role, "operator"),
            new Claim(OperatorSessions.StartedClaim, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ], "Cookies", "cognito:username", ClaimTypes.Role));
        var pool = await Pool();
        var portal = As(user, clock, sessions);
        await portal.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "first", MessageAction = "SUPPRESS" });
        clock.Advance(TimeSpan.FromSeconds(1));
        return (portal, clock, name, pool);
    }

    [Fact]
    public async Task An_open_session_loses_its_role_within_a_minute_of_being_disabled_demoted_or_signed_out()
    {
        var changes = new Func<string, Task>[]
        {
            name => Engine.Send(new AdminDisableUserRequest { UserPoolId = AdminPool, Username = name }),
            name => Engine.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = AdminPool, Username = name, GroupName = "operators" }),
            name => Engine.Send(new AdminUserGlobalSignOutRequest { UserPoolId = AdminPool, Username = name }),
            name => Engine.Send(new AdminDeleteUserRequest { UserPoolId = AdminPool, Username = name }),
        };
        foreach (var change in changes)
        {
            var (portal, clock, name, pool) = await Session();
            await change(name);
            clock.Advance(TimeSpan.FromMinutes(1));
            var e = await Assert.ThrowsAsync<AccessDeniedException>(() =>
                portal.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "second", MessageAction = "SUPPRESS" }));
            Assert.Contains("not signed in", e.Message);
        }
    }

    [Fact]
    public async Task A_role_change_applies_to_an_open_session_within_a_minute_and_sessions_end_after_their_lifetime()
    {
        var (portal, clock, name, pool) = await Session();
        await Engine.Send(new AdminAddUserToGroupRequest { UserPoolId = AdminPool, Username = name, GroupName = "viewers" });
        await Engine.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = AdminPool, Username = name, GroupName = "operators" });
        clock.Advance(TimeSpan.FromMinutes(1));
        var e = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            portal.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "second", MessageAction = "SUPPRESS" }));
        Assert.Contains("viewer", e.Message);
        await portal.Send(new ListUsersRequest { UserPoolId = pool });

        clock.Advance(TimeSpan.FromHours(12));
        await Assert.ThrowsAsync<AccessDeniedException>(() => portal.Send(new ListUsersRequest { UserPoolId = pool }));
    }
}
