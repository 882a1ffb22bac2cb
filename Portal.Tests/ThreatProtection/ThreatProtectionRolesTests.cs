using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ThreatProtection;

/// <summary>The role boundary of the sign-in history's feedback and the Threat protection tab's data, at the portal's
/// ICognito (OperatorCognito), which the page's hidden buttons do not replace: a viewer who sends the request anyway
/// (a tampered circuit) is refused and nothing changes.</summary>
[Collection(ServerCollection.Name)]
public sealed class ThreatProtectionRolesTests(PortalServer server)
{
    sealed class Signed(params Claim[] claims) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    OperatorCognito As(string group) => new(server.Services.GetRequiredService<Dispatcher>(),
        new Signed(new Claim("cognito:username", "op-" + group), new Claim("cognito:groups", group)),
        TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());

    async Task<(string Pool, string Username, string EventId)> PoolWithEvent()
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var pool = (await engine.Send(new CreateUserPoolRequest
        {
            PoolName = PortalServer.Unique("roles"), UserPoolTier = "PLUS", UserPoolAddOns = new() { AdvancedSecurityMode = "AUDIT" },
        })).UserPool!.Id!;
        var username = PortalServer.Unique("u");
        var user = await engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = username, MessageAction = "SUPPRESS" });
        var eventId = Guid.NewGuid().ToString();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.AuthEvents.Add(new AuthEventRow
        {
            EventId = eventId, UserPoolId = pool, UserSub = user.User!.Attributes!.Single(a => a.Name == "sub").Value!, EventType = "SignIn",
            EventResponse = "Fail", CreatedAt = server.Clock.GetUtcNow(), IpAddress = "198.51.100.7", RiskDecision = "Block", RiskLevel = "High",
            RiskReasons = "[\"Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour.\"]",
        });
        await db.SaveChangesAsync();
        return (pool, username, eventId);
    }

    async Task<string?> FeedbackOf(string eventId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDb>().AuthEvents.Where(e => e.EventId == eventId).Select(e => e.FeedbackValue).SingleAsync();
    }

    [Fact]
    public async Task A_viewer_reads_the_history_reasons_and_dashboard_but_cannot_give_feedback()
    {
        var (pool, username, eventId) = await PoolWithEvent();
        var viewer = As("viewers");

        var reasons = await viewer.Send(new ListAuthEventReasonsRequest { UserPoolId = pool, Username = username, EventIds = [eventId] });
        Assert.Equal("Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour.", Assert.Single(Assert.Single(reasons.Events!).Reasons!).Sentence);
        var dashboard = await viewer.Send(new DescribeRiskDashboardRequest { UserPoolId = pool });
        Assert.Equal(username, Assert.Single(dashboard.LatestRiskyEvents!).Username);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => viewer.Send(new AdminUpdateAuthEventFeedbackRequest
        {
            UserPoolId = pool, Username = username, EventId = eventId, FeedbackValue = "Invalid",
        }));
        Assert.Contains("viewer", refused.Message, StringComparison.Ordinal);
        Assert.Null(await FeedbackOf(eventId));
    }

    [Fact]
    public async Task An_operator_gives_feedback()
    {
        var (pool, username, eventId) = await PoolWithEvent();
        await As("operators").Send(new AdminUpdateAuthEventFeedbackRequest { UserPoolId = pool, Username = username, EventId = eventId, FeedbackValue = "Invalid" });
        Assert.Equal("Invalid", await FeedbackOf(eventId));
    }
}
