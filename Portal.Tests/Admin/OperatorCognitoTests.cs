using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
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
        TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());

    async Task<string> Pool() => (await server.Services.GetRequiredService<Dispatcher>()
        .Send(new CreateUserPoolRequest { PoolName = "roles-" + Guid.NewGuid().ToString("n")[..6] })).UserPool!.Id!;

    [Theory]
    [InlineData("viewers")]
    [InlineData("operators")]
    public async Task Only_administrators_change_risk_configuration_or_send_sync_test_traffic(string group)
    {
        var pool = await Pool();
        var who = As(group);
        const string identityPool = "us-east-1:00000000-0000-4000-8000-000000000000";
        // Each of these changes a pool's security settings or makes Portal call out (a push service, Kinesis, a function).
        await Assert.ThrowsAsync<AccessDeniedException>(() => who.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = pool,
            CompromisedCredentialsRiskConfiguration = new() { Actions = new() { EventAction = "NO_ACTION" } },
        }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => who.Send(new global::Portal.Client.Contract.Sync.SendTestPushNotificationRequest { IdentityPoolId = identityPool }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => who.Send(new global::Portal.Client.Contract.Sync.SendSyncStreamTestRecordRequest { IdentityPoolId = identityPool }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => who.Send(new global::Portal.Client.Contract.Sync.TestSyncTriggerRequest
        {
            IdentityPoolId = identityPool, FunctionArn = "arn:aws:lambda:us-east-1:000000000000:function:x",
        }));
    }

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
