using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Tests.ThreatProtection;

/// <summary>The Threat protection tab's data over the wire (PortalAdmin.DescribeRiskDashboard, PortalAdmin.ListAuthEventReasons),
/// from auth events stored as the sign-in engine stores them, and from a real blocked sign-in; and an app client's
/// risk configuration going with the client.</summary>
[Collection(ThreatCollection.Name)]
public sealed class RiskDashboardTests(ThreatServer server)
{
    const string Good = "Unbreached-Passw0rd-7!";
    const string Breached = "Dashboard-Breached-9!";

    async Task<(string PoolId, string ClientId)> Pool(string mode = "AUDIT")
    {
        var poolId = (await server.Admin.Send(new CreateUserPoolRequest
        {
            PoolName = Infrastructure.PortalServer.Unique("dash"), UserPoolTier = "PLUS",
            UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = mode },
        })).UserPool!.Id!;
        var clientId = (await server.Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        return (poolId, clientId);
    }

    async Task<(string Username, string Sub)> User(string poolId, string password = Good)
    {
        var username = Infrastructure.PortalServer.Unique("u");
        var created = await server.Admin.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS" });
        await server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = password, Permanent = true });
        return (username, created.User!.Attributes!.Single(a => a.Name == "sub").Value!);
    }

    /// <summary>Stores events as <see cref="Server.Auth.AuthEvents"/> writes them.</summary>
    Task Store(params AuthEventRow[] rows) => server.Db(async db =>
    {
        db.AuthEvents.AddRange(rows);
        return await db.SaveChangesAsync();
    });

    static AuthEventRow Event(string poolId, string sub, DateTimeOffset at, string? level, string decision, string ip,
        string response = "Pass", bool compromised = false, string? reasons = null) => new()
        {
            EventId = Guid.NewGuid().ToString(), UserPoolId = poolId, UserSub = sub, EventType = "SignIn", EventResponse = response, CreatedAt = at,
            IpAddress = ip, RiskLevel = level, RiskDecision = decision, CompromisedCredentialsDetected = compromised, RiskReasons = reasons,
        };

    static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_dashboard_counts_decisions_per_day_top_addresses_blocks_and_the_latest_risky_events()
    {
        var (poolId, _) = await Pool();
        var (other, _) = await Pool();
        var (dora, doraSub) = await User(poolId);
        var (eve, eveSub) = await User(poolId);
        var (_, strangerSub) = await User(other);
        // The events of "today" are up to five steps of ten minutes old, the steps shorter just after midnight UTC so that
        // they stay on one day. (Not the server's clock moved on: the fixture's other tests sign with the real time.)
        var now = server.Clock.GetUtcNow();
        var step = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(10).Ticks, now.TimeOfDay.Ticks / 6));
        await Store(
            Event(poolId, doraSub, now - 5 * step, "Low", "NoRisk", "192.0.2.10"),
            Event(poolId, doraSub, now - 4 * step, "Low", "NoRisk", "192.0.2.10"),
            Event(poolId, eveSub, now - 3 * step, "Medium", "AccountTakeover", "198.51.100.7",
                reasons: JsonSerializer.Serialize(new[] { new { Code = "new-device", Sentence = "A device never seen for this user (Firefox 133, Windows)." } })),
            Event(poolId, doraSub, now - 2 * step, "High", "Block", "198.51.100.7", "Fail",
                reasons: JsonSerializer.Serialize(new[] { "Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour." })),
            Event(poolId, eveSub, now - step, null, "NoRisk", "198.51.100.8", "Fail"),
            Event(poolId, eveSub, now.AddDays(-1), null, "Block", "203.0.113.9", "Fail", compromised: true,
                reasons: JsonSerializer.Serialize(new[] { "Password found in a breached-password list at sign-in (source: offline corpus); blocked" })),
            Event(poolId, doraSub, now.AddDays(-40), "High", "Block", "198.51.100.7", "Fail"),
            Event(other, strangerSub, now - step / 2, "High", "Block", "198.51.100.7", "Fail", compromised: true));

        var dashboard = await server.Admin.Send(new DescribeRiskDashboardRequest { UserPoolId = poolId });

        Assert.Equal(30, dashboard.Days!.Count);
        Assert.Equal(Day(now), dashboard.Days[^1].Date);
        Assert.Equal(Day(now.AddDays(-29)), dashboard.Days[0].Date);
        var today = dashboard.Days[^1];
        Assert.Equal((2L, 1L, 1L, 1L), (today.Low!.Value, today.Medium!.Value, today.High!.Value, today.NotAssessed!.Value));
        Assert.Equal((3L, 1L, 1L), (today.NoRisk!.Value, today.AccountTakeover!.Value, today.Block!.Value));
        var yesterday = dashboard.Days[^2];
        Assert.Equal((0L, 1L, 1L), (yesterday.Low!.Value, yesterday.NotAssessed!.Value, yesterday.Block!.Value));
        // The event of 40 days ago and the other pool's are not counted.
        Assert.Equal((long?)6, dashboard.Days.Sum(d => d.NoRisk + d.AccountTakeover + d.Block));

        Assert.Equal(["198.51.100.7", "198.51.100.8", "203.0.113.9"], dashboard.TopAddresses!.Select(a => a.IpAddress!));
        var top = dashboard.TopAddresses![0];
        Assert.Equal((2L, 2L), (top.Events!.Value, top.Users!.Value));
        Assert.Equal((long?)1, dashboard.CompromisedCredentialsBlocks);
        Assert.Equal((long?)1, dashboard.CompromisedCredentialsDetections);

        var latest = dashboard.LatestRiskyEvents!;
        Assert.Equal([dora, eve, eve], latest.Select(e => e.Username!));
        Assert.Equal(("High", "Block"), (latest[0].EventRisk!.RiskLevel, latest[0].EventRisk!.RiskDecision));
        Assert.Equal("Failed sign-ins against 12 accounts from 198.51.100.7 in the last hour.", latest[0].Reason);
        Assert.Equal("A device never seen for this user (Firefox 133, Windows).", latest[1].Reason);
        Assert.True(latest[2].EventRisk!.CompromisedCredentialsDetected);

        var week = await server.Admin.Send(new DescribeRiskDashboardRequest { UserPoolId = poolId, Days = 7 });
        Assert.Equal(7, week.Days!.Count);
    }

    [Fact]
    public async Task A_sign_in_blocked_for_a_breached_password_shows_on_the_dashboard()
    {
        server.Range.Breach(Breached);
        var (poolId, clientId) = await Pool("ENFORCED");
        var (username, _) = await User(poolId, Breached);
        await server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId,
            CompromisedCredentialsRiskConfiguration = new() { EventFilter = ["SIGN_IN"], Actions = new() { EventAction = "BLOCK" } },
        });

        await Assert.ThrowsAnyAsync<CognitoException>(() => server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = Breached },
        }));

        var dashboard = await server.Admin.Send(new DescribeRiskDashboardRequest { UserPoolId = poolId });
        Assert.Equal((long?)1, dashboard.CompromisedCredentialsBlocks);
        Assert.Equal((long?)1, dashboard.Days![^1].Block);
        var blocked = Assert.Single(dashboard.LatestRiskyEvents!);
        Assert.Equal(username, blocked.Username);
        Assert.Contains("breached-password list", blocked.Reason, StringComparison.Ordinal);
        Assert.Single(dashboard.TopAddresses!);

        // The user's history has the same event, with its reasons in words.
        var events = (await server.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = poolId, Username = username })).AuthEvents!;
        var reasons = await server.Admin.Send(new ListAuthEventReasonsRequest { UserPoolId = poolId, Username = username, EventIds = [.. events.Select(e => e.EventId!)] });
        var sentence = Assert.Single(Assert.Single(reasons.Events!, e => e.EventId == blocked.EventId).Reasons!).Sentence;
        Assert.Equal(blocked.Reason, sentence);
    }

    [Fact]
    public async Task Reasons_are_read_for_the_users_own_events_whatever_shape_they_were_stored_in()
    {
        var (poolId, _) = await Pool();
        var (dora, doraSub) = await User(poolId);
        var (_, eveSub) = await User(poolId);
        var now = server.Clock.GetUtcNow();
        var words = Event(poolId, doraSub, now, "Low", "NoRisk", "192.0.2.1", reasons: JsonSerializer.Serialize(new[] { "First sign-in from this network." }));
        var coded = Event(poolId, doraSub, now, "High", "Block", "192.0.2.1", reasons: JsonSerializer.Serialize(new object[]
        {
            new { Code = "blocked-range", Sentence = "The address 192.0.2.1 is in a blocked range (192.0.2.0/24)." },
            new { code = "user-feedback", message = "The user said a similar sign-in was not theirs." },
        }));
        var none = Event(poolId, doraSub, now, null, "NoRisk", "192.0.2.1");
        var eves = Event(poolId, eveSub, now, "High", "Block", "192.0.2.1", reasons: JsonSerializer.Serialize(new[] { "Eve's reason." }));
        await Store(words, coded, none, eves);

        var answer = await server.Admin.Send(new ListAuthEventReasonsRequest
        {
            UserPoolId = poolId, Username = dora, EventIds = [coded.EventId, words.EventId, none.EventId, eves.EventId, "no-such-event"],
        });

        Assert.Equal([coded.EventId, words.EventId, none.EventId], answer.Events!.Select(e => e.EventId!));
        Assert.Equal([("blocked-range", "The address 192.0.2.1 is in a blocked range (192.0.2.0/24)."), ("user-feedback", "The user said a similar sign-in was not theirs.")],
            answer.Events![0].Reasons!.Select(r => (r.Code, r.Sentence)));
        Assert.Equal([((string?)null, "First sign-in from this network.")], answer.Events[1].Reasons!.Select(r => (r.Code, r.Sentence)));
        Assert.Empty(answer.Events[2].Reasons!);
    }

    [Fact]
    public async Task Pools_without_threat_protection_answer_Cognitos_error()
    {
        var poolId = (await server.Admin.Send(new CreateUserPoolRequest { PoolName = Infrastructure.PortalServer.Unique("off") })).UserPool!.Id!;
        await Assert.ThrowsAsync<UserPoolAddOnNotEnabledException>(() => server.Admin.Send(new DescribeRiskDashboardRequest { UserPoolId = poolId }));
        await Assert.ThrowsAsync<UserPoolAddOnNotEnabledException>(() =>
            server.Admin.Send(new ListAuthEventReasonsRequest { UserPoolId = poolId, Username = "nobody", EventIds = ["x"] }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => server.Admin.Send(new DescribeRiskDashboardRequest { UserPoolId = "us-east-1_Nope12345" }));
        var tooMany = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Admin.Send(new ListAuthEventReasonsRequest { UserPoolId = poolId, Username = "nobody", EventIds = [.. Enumerable.Range(0, 61).Select(i => $"e{i}")] }));
        Assert.Contains("EventIds", tooMany.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Deleting_an_app_client_deletes_its_risk_configuration_and_keeps_the_pools()
    {
        var (poolId, clientId) = await Pool();
        await server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, CompromisedCredentialsRiskConfiguration = new() { Actions = new() { EventAction = "NO_ACTION" } },
        });
        await server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, ClientId = clientId,
            CompromisedCredentialsRiskConfiguration = new() { Actions = new() { EventAction = "BLOCK" } },
            RiskExceptionConfiguration = new() { BlockedIPRangeList = ["192.0.2.0/24"] },
        });
        Assert.Equal(2, await server.Db(db => db.RiskConfigurations.CountAsync(r => r.UserPoolId == poolId)));

        await server.Admin.Send(new DeleteUserPoolClientRequest { UserPoolId = poolId, ClientId = clientId });

        var left = await server.Db(db => db.RiskConfigurations.Where(r => r.UserPoolId == poolId).Select(r => r.ClientId).ToListAsync());
        Assert.Equal([""], left);
        Assert.Equal("NO_ACTION", (await server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = poolId }))
            .RiskConfiguration!.CompromisedCredentialsRiskConfiguration!.Actions!.EventAction);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = poolId, ClientId = clientId }));
    }
}
