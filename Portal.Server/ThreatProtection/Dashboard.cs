using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.ThreatProtection;

/// <summary>The Threat protection tab's dashboard: a pool's auth events of the last days by risk level and decision per
/// UTC day, the addresses with the most risky or failed events, the compromised-credential blocks, and the latest risky
/// events. Every widget is one query on the index (UserPoolId, CreatedAt), bounded by the days asked for (and the
/// grouped ones by their groups: days × levels × decisions, 10 addresses, 10 events).</summary>
sealed class DescribeRiskDashboard(PortalDb db, UserPoolStore pools, TimeProvider clock)
    : IOperation<DescribeRiskDashboardRequest, DescribeRiskDashboardResponse>
{
    const int Top = 10;

    public async Task<DescribeRiskDashboardResponse> Handle(DescribeRiskDashboardRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        AuthEvents.RequireRecorded(pool);
        var poolId = pool.Row.Id;
        var days = request.Days ?? 30;
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var first = today.AddDays(-(days - 1));
        var since = new DateTimeOffset(first, TimeSpan.Zero);
        var events = db.AuthEvents.AsNoTracking().Where(e => e.UserPoolId == poolId && e.CreatedAt >= since);

        var perDay = (await DayCounts(poolId, since, ct)).ToLookup(c => c.Day);
        var risky = events.Where(e => (e.RiskDecision != null && e.RiskDecision != "NoRisk") || e.RiskLevel == "Medium" || e.RiskLevel == "High"
                                      || e.CompromisedCredentialsDetected);
        // Risky events, and failures (a guessed password is a failure before it is a risk), by address.
        var addresses = await events.Where(e => e.IpAddress != null && (e.EventResponse == "Fail" || (e.RiskDecision != null && e.RiskDecision != "NoRisk")
                                                                         || e.RiskLevel == "Medium" || e.RiskLevel == "High" || e.CompromisedCredentialsDetected))
            .GroupBy(e => e.IpAddress)
            .Select(g => new RiskAddressType { IpAddress = g.Key, Events = g.LongCount(), Users = g.Select(e => e.UserSub).Distinct().LongCount(), LastSeen = g.Max(e => e.CreatedAt) })
            .OrderByDescending(a => a.Events).ThenBy(a => a.IpAddress).Take(Top).ToListAsync(ct);
        var compromised = await events.Where(e => e.CompromisedCredentialsDetected)
            .GroupBy(e => 1).Select(g => new { Detections = g.LongCount(), Blocks = g.LongCount(e => e.RiskDecision == "Block") }).FirstOrDefaultAsync(ct);
        var latest = await risky.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.EventId).Take(Top)
            .Join(db.Users.AsNoTracking(), e => e.UserSub, u => u.Sub, (e, u) => new { Event = e, u.Username }).ToListAsync(ct);

        return new DescribeRiskDashboardResponse
        {
            Days = Enumerable.Range(0, days).Select(i => first.AddDays(i)).Select(day =>
            {
                var counts = perDay[day.Ticks / TimeSpan.TicksPerDay].ToList();
                long Level(string? level) => counts.Where(c => c.Level == level).Sum(c => c.Count);
                long Decision(string decision) => counts.Where(c => (c.Decision ?? "NoRisk") == decision).Sum(c => c.Count);
                return new RiskDayType
                {
                    Date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Low = Level("Low"), Medium = Level("Medium"), High = Level("High"),
                    NotAssessed = counts.Where(c => c.Level is not ("Low" or "Medium" or "High")).Sum(c => c.Count),
                    NoRisk = Decision("NoRisk"), AccountTakeover = Decision("AccountTakeover"), Block = Decision("Block"),
                };
            }).ToList(),
            TopAddresses = addresses,
            CompromisedCredentialsDetections = compromised?.Detections ?? 0,
            CompromisedCredentialsBlocks = compromised?.Blocks ?? 0,
            LatestRiskyEvents = latest.Select(x => new RiskyEventType
            {
                EventId = x.Event.EventId, Username = x.Username, EventType = x.Event.EventType, EventResponse = x.Event.EventResponse,
                CreationDate = x.Event.CreatedAt, IpAddress = x.Event.IpAddress,
                EventRisk = new EventRiskType
                {
                    RiskDecision = x.Event.RiskDecision ?? "NoRisk", RiskLevel = x.Event.RiskLevel, CompromisedCredentialsDetected = x.Event.CompromisedCredentialsDetected,
                },
                Reason = RiskReasons.Read(x.Event.RiskReasons).FirstOrDefault()?.Sentence,
            }).ToList(),
        };
    }

    /// <summary>A count of events of one UTC day (days since 0001-01-01, as DateTime.Ticks / TicksPerDay), level and decision.</summary>
    sealed class DayCount
    {
        public long Day { get; set; }
        public string? Level { get; set; }
        public string? Decision { get; set; }
        public long Count { get; set; }
    }

    /// <summary>Events per UTC day, level and decision, grouped in SQL: each provider stores CreatedAt its own way (SQLite as
    /// <see cref="DateTimeOffsetToBinaryConverter"/>'s long: UTC ticks / 1000 shifted left by 11, PostgreSQL as timestamptz).</summary>
    Task<List<DayCount>> DayCounts(string poolId, DateTimeOffset since, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
            return db.Database.SqlQuery<DayCount>($"""
                SELECT CAST(floor(extract(epoch FROM "CreatedAt") / 86400) AS bigint) + 719162 AS "Day", "RiskLevel" AS "Level",
                       "RiskDecision" AS "Decision", COUNT(*) AS "Count"
                FROM "AuthEvents" WHERE "UserPoolId" = {poolId} AND "CreatedAt" >= {since}
                GROUP BY 1, 2, 3
                """).ToListAsync(ct);
        var stored = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(since)!;
        return db.Database.SqlQuery<DayCount>($"""
            SELECT ("CreatedAt" >> 11) / 864000000 AS "Day", "RiskLevel" AS "Level", "RiskDecision" AS "Decision", COUNT(*) AS "Count"
            FROM "AuthEvents" WHERE "UserPoolId" = {poolId} AND "CreatedAt" >= {stored}
            GROUP BY 1, 2, 3
            """).ToListAsync(ct);
    }
}

/// <summary>The reasons threat protection stored for some of a user's events (AuthEvents.RiskReasons), for the sign-in history.</summary>
sealed class ListAuthEventReasons(PortalDb db, UserPoolStore pools, UserStore users)
    : IOperation<ListAuthEventReasonsRequest, ListAuthEventReasonsResponse>
{
    public async Task<ListAuthEventReasonsResponse> Handle(ListAuthEventReasonsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        AuthEvents.RequireRecorded(pool);
        var user = await users.Get(pool, request.Username, ct);
        var ids = request.EventIds!.Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.AuthEvents.AsNoTracking().Where(e => e.UserSub == user.Sub && ids.Contains(e.EventId))
            .Select(e => new { e.EventId, e.RiskReasons }).ToListAsync(ct);
        return new ListAuthEventReasonsResponse
        {
            Events = rows.OrderBy(r => ids.IndexOf(r.EventId))
                .Select(r => new AuthEventReasonsType { EventId = r.EventId, Reasons = RiskReasons.Read(r.RiskReasons) }).ToList(),
        };
    }
}

/// <summary>Reads AuthEvents.RiskReasons: a JSON array whose items are sentences, or objects with a code and a sentence
/// (Code / Sentence, or Message / Text for the sentence), so the portal shows whatever threat protection recorded.</summary>
static class RiskReasons
{
    public static List<RiskReasonType> Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return [new RiskReasonType { Sentence = json }];
            return doc.RootElement.EnumerateArray().Select(Reason).Where(r => r.Sentence is not null || r.Code is not null).ToList();
        }
        catch (JsonException)
        {
            return [new RiskReasonType { Sentence = json }];
        }
    }

    static RiskReasonType Reason(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.String) return new RiskReasonType { Sentence = item.GetString() };
        if (item.ValueKind != JsonValueKind.Object) return new RiskReasonType();
        string? Text(params string[] names)
        {
            foreach (var p in item.EnumerateObject())
                if (names.Any(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase)) && p.Value.ValueKind == JsonValueKind.String)
                    return p.Value.GetString();
            return null;
        }
        return new RiskReasonType { Code = Text("Code"), Sentence = Text("Sentence", "Message", "Text", "Reason") };
    }
}
