using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>
/// A user's authentication events, as Cognito's threat protection records them (AdminListUserAuthEvents): sign-ins with
/// the challenges answered, sign-ups, password resets and changes, code resends; where from (IP address, device) and the
/// operator's feedback. Recorded only for pools whose AdvancedSecurityMode is AUDIT or ENFORCED; kept 90 days. Callers
/// save with their own change, so an event is written with what it records; a failure's event ("Fail") is a durable
/// write of the operation (<see cref="Engine.UnitOfWork.AddDurably"/>): it is kept when the operation fails.
/// </summary>
public sealed partial class AuthEvents(PortalDb db, IHttpContextAccessor http, ThreatProtection.RiskRecord risk, TimeProvider clock,
    UserPools.LogDelivery.LogRecords logs, AuthEventSweeps sweeps)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>How often a pool's events past the retention are deleted (by a sign-in of the pool, on each instance).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    /// <summary>Where the request came from, when the app says so (ContextData of AdminInitiateAuth, UserContextData).</summary>
    public (string? IpAddress, string? UserAgent) Context { get; set; }

    /// <summary>The end user's address and browser as a server-side app passes them (AdminInitiateAuth's ContextData).</summary>
    public void From(ContextDataType? data)
    {
        if (data is null) return;
        var agent = data.HttpHeaders?.FirstOrDefault(h => string.Equals(h.headerName, "User-Agent", StringComparison.OrdinalIgnoreCase))?.headerValue;
        Context = (string.IsNullOrEmpty(data.IpAddress) ? null : data.IpAddress, agent);
        var language = data.HttpHeaders?.FirstOrDefault(h => string.Equals(h.headerName, "Accept-Language", StringComparison.OrdinalIgnoreCase))?.headerValue;
        var encoded = data.EncodedData;
        risk.DeviceFrom(() => ThreatProtection.DeviceContext.From(encoded, agent, language));
    }

    /// <summary>The end user's address as a client passes it (UserContextData of the public operations).</summary>
    public void From(UserContextDataType? data)
    {
        if (!string.IsNullOrEmpty(data?.IpAddress)) Context = (data.IpAddress, null);
        if (!string.IsNullOrEmpty(data?.EncodedData))
        {
            var request = http.HttpContext?.Request;
            var (encoded, agent, language) = (data.EncodedData, request?.Headers.UserAgent.ToString(), request?.Headers.AcceptLanguage.ToString());
            risk.DeviceFrom(() => ThreatProtection.DeviceContext.From(encoded, agent, language));
        }
    }

    /// <summary>The address a sign-in comes from: as the app says (ContextData, UserContextData), else the connection's.</summary>
    public string? IpAddress => Context.IpAddress ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    /// <summary>The device a sign-in comes from: as the app's context data says, else the request's browser.</summary>
    public ThreatProtection.DeviceContext Device()
    {
        if (risk.Device is { } known) return known;
        var request = http.HttpContext?.Request;
        return risk.Device = ThreatProtection.DeviceContext.From(null, Context.UserAgent ?? request?.Headers.UserAgent.ToString(),
            request?.Headers.AcceptLanguage.ToString());
    }

    public static bool Recorded(UserPoolStore.Pool pool) => pool.Settings.UserPoolAddOns?.AdvancedSecurityMode is "AUDIT" or "ENFORCED";

    /// <summary>Throws Cognito's error when the pool records no events.</summary>
    public static void RequireRecorded(UserPoolStore.Pool pool)
    {
        if (!Recorded(pool))
            throw new UserPoolAddOnNotEnabledException($"Advanced security features are not enabled for user pool {pool.Row.Id}: set UserPoolAddOns AdvancedSecurityMode to AUDIT or ENFORCED.");
    }

    /// <summary>Adds an event of this user to the unit of work (nothing for pools that record none).</summary>
    public AuthEventRow? Add(UserPoolStore.Pool pool, UserRow user, string eventType, string response, string? clientId,
        params (string Challenge, bool Success)[] challenges)
    {
        if (!Recorded(pool)) return null;
        var request = http.HttpContext?.Request;
        var ip = Context.IpAddress ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        var agent = Context.UserAgent ?? request?.Headers.UserAgent.ToString();
        var row = new AuthEventRow
        {
            EventId = Guid.CreateVersion7().ToString(), UserPoolId = pool.Row.Id, UserSub = user.Sub, EventType = eventType, EventResponse = response,
            CreatedAt = clock.GetUtcNow(), ClientId = clientId, IpAddress = ip, DeviceName = DeviceName(agent),
            Challenges = challenges.Length == 0 ? null : JsonSerializer.Serialize(challenges.Select(c => new ChallengeResponseType
            {
                ChallengeName = c.Challenge, ChallengeResponse = c.Success ? "Success" : "Failure",
            })),
            // What threat protection decided during this operation, and why.
            RiskDecision = risk.RiskDecision, RiskLevel = risk.RiskLevel, CompromisedCredentialsDetected = risk.CompromisedCredentialsDetected,
            RiskReasons = risk.Reasons.Count == 0 ? null : JsonSerializer.Serialize(risk.Reasons),
            DeviceKey = risk.DeviceKey, Network = risk.Network,
        };
        if (eventType == "SignIn") risk.SignInEvent = row;
        if (response == "Fail") db.Work.AddDurably(row);
        else db.AuthEvents.Add(row);
        // The pool's userAuthEvents log destination gets the event too (kept with it when the operation fails).
        logs.AuthEvent(pool, row, user.Username);
        return row;
    }

    /// <summary>A sign-in that passed: its event, and (at most every <see cref="SweepInterval"/>) the pool's events past the
    /// retention go.</summary>
    public async Task SignedIn(UserPoolStore.Pool pool, UserRow user, string? clientId, CancellationToken ct, params (string Challenge, bool Success)[] challenges)
    {
        if (!Recorded(pool)) return;
        Add(pool, user, "SignIn", "Pass", clientId, challenges);
        if (sweeps.Due(pool.Row.Id)) await Expire(pool.Row.Id, ct);
    }

    /// <summary>A sign-in that waited for a new password (InProgress) has now passed.</summary>
    public async Task Passed(UserPoolStore.Pool pool, UserRow user, CancellationToken ct)
    {
        if (!Recorded(pool)) return;
        var since = clock.GetUtcNow() - TimeSpan.FromHours(1);
        var pending = await db.AuthEvents.Where(e => e.UserSub == user.Sub && e.EventType == "SignIn" && e.EventResponse == "InProgress" && e.CreatedAt > since)
            .OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct);
        if (pending is not null) pending.EventResponse = "Pass";
        else Add(pool, user, "SignIn", "Pass", null, ("Password", true));
    }

    /// <summary>The pool's events older than the retention go (one delete on the pool's (UserPoolId, CreatedAt) index).
    /// Reading never shows them either way: AdminListUserAuthEvents and risk scoring look at the retention's window only.</summary>
    Task<int> Expire(string poolId, CancellationToken ct)
    {
        var before = clock.GetUtcNow() - Retention;
        return db.AuthEvents.Where(e => e.UserPoolId == poolId && e.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    public static AuthEventType Describe(AuthEventRow row) => new()
    {
        EventId = row.EventId, EventType = row.EventType, CreationDate = row.CreatedAt, EventResponse = row.EventResponse,
        // Compromised credentials and adaptive authentication (ThreatProtection) decide; the reasons are Portal's own.
        EventRisk = new EventRiskType { RiskDecision = row.RiskDecision ?? "NoRisk", RiskLevel = row.RiskLevel, CompromisedCredentialsDetected = row.CompromisedCredentialsDetected },
        ChallengeResponses = row.Challenges is null ? [] : JsonSerializer.Deserialize<List<ChallengeResponseType>>(row.Challenges),
        EventContextData = new EventContextDataType { IpAddress = row.IpAddress, DeviceName = row.DeviceName },
        EventFeedback = row.FeedbackValue is null ? null
            : new EventFeedbackType { FeedbackValue = row.FeedbackValue, Provider = row.FeedbackProvider, FeedbackDate = row.FeedbackAt },
    };

    /// <summary>The reasons threat protection gave for an event's risk, in words (empty when it found nothing).</summary>
    public static IReadOnlyList<string> Reasons(AuthEventRow row) =>
        row.RiskReasons is null ? [] : JsonSerializer.Deserialize<List<string>>(row.RiskReasons) ?? [];

    /// <summary>"Chrome 131, Linux", "Firefox 133, Windows", "aws-cli 2.9": the browser or client and its system, from a User-Agent.</summary>
    public static string? DeviceName(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return null;
        string? client = null;
        foreach (var (pattern, name) in Browsers)
            if (pattern.Match(userAgent) is { Success: true } m) { client = $"{name} {m.Groups[1].Value}"; break; }
        if (client is null && ProductToken().Match(userAgent) is { Success: true } product)
            client = $"{product.Groups[1].Value} {product.Groups[2].Value}";
        string? system = null;
        foreach (var (pattern, name) in Systems)
            if (userAgent.Contains(pattern, StringComparison.Ordinal)) { system = name; break; }
        var device = string.Join(", ", new[] { client, system }.Where(s => s is not null));
        return device.Length == 0 ? null : device.Length > 120 ? device[..120] : device;
    }

    // Source-generated: a sign-in's event names its device, and the interpreted patterns cost more than the rest of the event.
    static readonly (Regex Pattern, string Name)[] Browsers =
    [
        (EdgeVersion(), "Edge"), (OperaVersion(), "Opera"), (FirefoxVersion(), "Firefox"), (ChromeVersion(), "Chrome"), (SafariVersion(), "Safari"),
    ];

    [GeneratedRegex(@"Edg/(\d+)")]
    private static partial Regex EdgeVersion();

    [GeneratedRegex(@"OPR/(\d+)")]
    private static partial Regex OperaVersion();

    [GeneratedRegex(@"Firefox/(\d+)")]
    private static partial Regex FirefoxVersion();

    [GeneratedRegex(@"(?:HeadlessChrome|Chrome|Chromium)/(\d+)")]
    private static partial Regex ChromeVersion();

    [GeneratedRegex(@"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")]
    private static partial Regex SafariVersion();

    static readonly (string Pattern, string Name)[] Systems =
    [
        ("Windows", "Windows"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Android", "Android"), ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"), ("Linux", "Linux"), ("linux", "Linux"), ("darwin", "macOS"), ("win32", "Windows"),
    ];

    [GeneratedRegex(@"^([A-Za-z][\w.-]*)/(\d+(?:\.\d+)?)")]
    private static partial Regex ProductToken();
}

/// <summary>When this instance last deleted each pool's expired auth events: a sign-in deletes them at most every
/// <see cref="AuthEvents.SweepInterval"/> per pool, instead of a delete statement at every sign-in.</summary>
public sealed class AuthEventSweeps(TimeProvider clock)
{
    const int MaxPools = 10_000;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> last = new(StringComparer.Ordinal);

    /// <summary>Whether the pool's sweep is due now; true for one caller only, which then sweeps.</summary>
    public bool Due(string poolId)
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (last.TryGetValue(poolId, out var then))
            return now - then >= AuthEvents.SweepInterval.Ticks && last.TryUpdate(poolId, now, then);
        if (last.Count >= MaxPools) last.Clear();
        return last.TryAdd(poolId, now);
    }
}
