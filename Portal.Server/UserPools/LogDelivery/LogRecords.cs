using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.LogDelivery;

/// <summary>
/// Writes a pool's log records into the outbox, one row per configured destination, in the caller's unit of work (so a
/// record exists exactly when what it records was committed); <see cref="LogDeliveryWorker"/> sends them. The pool's
/// configuration is kept in its settings document (member <see cref="SettingsMember"/>), so it is read with the pool.
/// <list type="bullet">
/// <item><c>userNotification</c> (ERROR): an email or SMS message that could not be delivered.</item>
/// <item><c>userAuthEvents</c> (INFO): each authentication event threat protection records (AdminListUserAuthEvents' events).</item>
/// </list>
/// </summary>
public sealed class LogRecords(PortalDb db, Ids ids, TimeProvider clock)
{
    public const string SettingsMember = "LogDeliveryConfiguration";
    public const string UserNotification = "userNotification";
    public const string UserAuthEvents = "userAuthEvents";

    /// <summary>The pool's log configurations (empty when none is set).</summary>
    public static List<LogConfigurationType> Configurations(UserPoolRow pool) =>
        // Most pools have none: the settings document is parsed only when it names the member (every auth event asks).
        pool.Settings?.Contains(SettingsMember, StringComparison.Ordinal) == true && UserPoolStore.Extras(pool)[SettingsMember] is JsonArray list
            ? list.Deserialize<List<LogConfigurationType>>(CognitoJson.Options) ?? []
            : [];

    /// <summary>Replaces the pool's configurations in its settings document (the caller saves).</summary>
    public static void Store(UserPoolRow pool, IReadOnlyList<LogConfigurationType> configurations)
    {
        var document = JsonNode.Parse(string.IsNullOrEmpty(pool.Settings) ? "{}" : pool.Settings)!.AsObject();
        if (configurations.Count == 0) document.Remove(SettingsMember);
        else document[SettingsMember] = JsonSerializer.SerializeToNode(configurations, CognitoJson.Options);
        pool.Settings = document.ToJsonString(CognitoJson.Options);
        pool.Version++;
    }

    /// <summary>An authentication event was recorded: its record for the pool's userAuthEvents destination. A failure's event
    /// is kept when its operation fails, and so is its record.</summary>
    public void AuthEvent(UserPoolStore.Pool pool, AuthEventRow row, string username)
    {
        // The record is built only for a pool that sends its auth events somewhere.
        if (pool.Row.Settings?.Contains(UserAuthEvents, StringComparison.Ordinal) != true) return;
        var record = Envelope(pool.Row.Id, "USER_AUTH_EVENTS", "INFO", row.CreatedAt, row.EventId);
        var message = JsonSerializer.SerializeToNode(Auth.AuthEvents.Describe(row), CognitoJson.Options)!.AsObject();
        message["UserSub"] = row.UserSub;
        message["Username"] = username;
        message["ClientId"] = row.ClientId;
        record["message"] = message;
        Add(pool.Row, UserAuthEvents, record, durable: row.EventResponse == "Fail");
    }

    /// <summary>A message of the pool could not be delivered: its record for the userNotification destination (saved with
    /// the message's delivery status).</summary>
    public async Task NotificationFailed(string poolId, string channel, string maskedDestination, string reason, CancellationToken ct)
    {
        var pool = await db.UserPools.AsNoTracking().FirstOrDefaultAsync(p => p.Id == poolId, ct);
        if (pool is null) return;
        var now = clock.GetUtcNow();
        var record = Envelope(poolId, "USER_NOTIFICATION", "ERROR", now, Guid.NewGuid().ToString());
        record["message"] = $"Failed to deliver the {channel} message to {maskedDestination}: {reason}";
        record["messageChannel"] = channel;
        Add(pool, UserNotification, record, durable: false);
    }

    JsonObject Envelope(string poolId, string source, string level, DateTimeOffset at, string eventId) => new()
    {
        ["eventTimestamp"] = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ["eventSource"] = source,
        ["logLevel"] = level,
        ["eventId"] = eventId,
        ["logSourceId"] = new JsonObject { ["userPoolId"] = poolId, ["userPoolArn"] = ids.UserPoolArn(poolId) },
        ["version"] = "1.0",
    };

    void Add(UserPoolRow pool, string eventSource, JsonObject record, bool durable)
    {
        var now = clock.GetUtcNow();
        foreach (var configuration in Configurations(pool).Where(c => c.EventSource == eventSource))
        {
            if (LogDestinations.Of(configuration) is not { } destination) continue;
            var row = new LogOutboxRow
            {
                UserPoolId = pool.Id, EventSource = eventSource, Kind = destination.Kind, Destination = destination.Arn,
                Record = record.ToJsonString(), CreatedAt = now, NextAttemptAt = now,
            };
            if (durable) db.Work.AddDurably(row);
            else db.Add(row);
        }
    }
}
