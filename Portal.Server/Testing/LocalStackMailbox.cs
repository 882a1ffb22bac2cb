using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

/// <summary>The mailbox at LocalStack's developer endpoints, in LocalStack's shapes and order (oldest first), so a suite
/// written against LocalStack's Cognito reads Portal's codes unchanged: <c>/_aws/ses</c> (emails) and
/// <c>/_aws/sns/sms-messages</c> (text messages, grouped by phone number).</summary>
public static class LocalStackMailbox
{
    public static async Task<IResult> Ses(HttpContext http, PortalDb db, IOptions<PortalOptions> portal)
    {
        var email = http.Request.Query["email"].ToString().Trim().ToLowerInvariant();
        var rows = await db.Outbox.AsNoTracking().Where(m => m.Channel == Channels.Email).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Take(5000).ToListAsync(http.RequestAborted);
        var sources = await Sources(db, rows.Select(r => r.UserPoolId), http.RequestAborted);
        var messages = rows
            .Select(m => (Row: m, Source: m.UserPoolId is { } p && sources.TryGetValue(p, out var s) ? s : DefaultSource))
            .Where(x => email.Length == 0 || x.Row.Destination.Equals(email, StringComparison.OrdinalIgnoreCase)
                        || x.Source.Equals(email, StringComparison.OrdinalIgnoreCase))
            .Select(x => new Dictionary<string, object?>
            {
                ["Id"] = x.Row.Id.ToString(),
                ["Region"] = RegionOf(x.Row.UserPoolId, portal.Value.Region),
                ["Destination"] = new Dictionary<string, object> { ["ToAddresses"] = new[] { x.Row.Destination } },
                ["Source"] = x.Source,
                ["Subject"] = x.Row.Subject,
                ["Body"] = new Dictionary<string, string?>
                {
                    ["text_part"] = x.Row.Body,
                    ["html_part"] = x.Row.Body.Contains('<', StringComparison.Ordinal) ? x.Row.Body : null,
                },
                ["Timestamp"] = x.Row.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            }).ToList();
        return Results.Json(new Dictionary<string, object> { ["messages"] = messages });
    }

    public static async Task<IResult> ClearSes(HttpContext http, PortalDb db)
    {
        await db.Outbox.Where(m => m.Channel == Channels.Email).ExecuteDeleteAsync(http.RequestAborted);
        return Results.NoContent();
    }

    public static async Task<IResult> Sms(HttpContext http, PortalDb db, IOptions<PortalOptions> portal)
    {
        var phone = http.Request.Query["phoneNumber"].ToString().Trim();
        var query = db.Outbox.AsNoTracking().Where(m => m.Channel == Channels.Sms);
        if (phone.Length > 0) query = query.Where(m => m.Destination == phone);
        var rows = await query.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(5000).ToListAsync(http.RequestAborted);
        var byPhone = rows.GroupBy(m => m.Destination, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(m => new Dictionary<string, object?>
        {
            ["PhoneNumber"] = m.Destination,
            ["TopicArn"] = null,
            ["SubscriptionArn"] = null,
            ["MessageId"] = m.Id.ToString(),
            ["Message"] = m.Body,
            ["MessageAttributes"] = new Dictionary<string, object>(),
            ["MessageStructure"] = null,
            ["Subject"] = null,
        }).ToList(), StringComparer.Ordinal);
        return Results.Json(new Dictionary<string, object>
        {
            ["region"] = http.Request.Query["region"].ToString() is { Length: > 0 } r ? r : portal.Value.Region,
            ["sms_messages"] = byPhone,
        });
    }

    public static async Task<IResult> ClearSms(HttpContext http, PortalDb db)
    {
        var phone = http.Request.Query["phoneNumber"].ToString().Trim();
        var query = db.Outbox.Where(m => m.Channel == Channels.Sms);
        if (phone.Length > 0) query = query.Where(m => m.Destination == phone);
        await query.ExecuteDeleteAsync(http.RequestAborted);
        return Results.NoContent();
    }

    const string DefaultSource = "no-reply@verificationemail.com";

    static async Task<Dictionary<string, string>> Sources(PortalDb db, IEnumerable<string?> poolIds, CancellationToken ct)
    {
        var ids = poolIds.OfType<string>().Distinct().ToList();
        var pools = await db.UserPools.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        return pools.ToDictionary(p => p.Id, p => UserPoolStore.Read(p).EmailConfiguration?.SourceArn is { } arn && arn.Contains("identity/", StringComparison.Ordinal)
            ? arn[(arn.IndexOf("identity/", StringComparison.Ordinal) + "identity/".Length)..]
            : UserPoolStore.Read(p).EmailConfiguration?.From ?? DefaultSource, StringComparer.Ordinal);
    }

    static string RegionOf(string? poolId, string fallback) => poolId is not null && poolId.Contains('_') ? poolId[..poolId.IndexOf('_')] : fallback;
}
