using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.ThreatProtection;

/// <summary>
/// Adaptive authentication: each sign-in whose password is proven, in a pool with threat protection (AUDIT or ENFORCED)
/// and an AccountTakeoverRiskConfiguration (the app client's own, else the pool's), gets a risk level from signals that
/// can be told in a sentence, each stored on the event as "code: sentence" (<see cref="RiskReason"/>):
/// <list type="bullet">
/// <item>a device never seen in this user's passed sign-ins (+1), a network (/24, /64) never seen there (+1) — not on a
/// user's first sign-in, which has nothing to compare with;</item>
/// <item>credential stuffing: failed sign-ins against <see cref="StuffingAccounts"/> or more other accounts of the pool
/// from this address within <see cref="StuffingWindow"/> (+3), counted in the database so every instance sees them;</item>
/// <item>failures against this account in the last hour (3+: +1, 5+: +2);</item>
/// <item>the user's own feedback on an earlier event from this device or network: "Invalid" (not mine) +2, and the device
/// no longer counts as known; "Valid" −1;</item>
/// <item>the pool's RiskExceptionConfiguration: an address in a skipped range is not assessed; one in a blocked range is
/// blocked (ENFORCED).</item>
/// </list>
/// 1 point is Low, 2 Medium, 3 or more High; none is NoRisk. AUDIT records; ENFORCED runs the level's EventAction: BLOCK
/// answers Cognito's NotAuthorizedException; MFA_IF_CONFIGURED / MFA_REQUIRED ask the user's MFA challenge even when MFA
/// is optional or off for them (their activated factor, else a code to their verified phone or email); with no factor
/// MFA_IF_CONFIGURED lets the sign-in through and MFA_REQUIRED blocks it, as Cognito documents. With Notify the user gets
/// the NotifyConfiguration's email (<see cref="RiskNotifications"/>). One statement per sign-in (two bounded, indexed reads).
/// <para>
/// Every sign-in is assessed once, in the engine: a proven password (password and SRP flows, USER_AUTH's PASSWORD) before
/// its MFA; the sign-ins whose proof is not a password (CUSTOM_AUTH, with or without SRP, under the pool's CustomAuthMode;
/// USER_AUTH's EMAIL_OTP, SMS_OTP and WEB_AUTHN) when they complete; federated sign-ins (OIDC, SAML, social) when the
/// provider's answer comes back. The last two cannot ask MFA (the factor, the trigger's challenges or the provider did the
/// proving): their MFA actions let the sign-in through and say so; BLOCK blocks. Refreshing tokens is not a sign-in and is
/// not assessed, as in Cognito.
/// </para>
/// </summary>
public sealed class AdaptiveAuthentication(PortalDb db, RiskConfigurations configurations, RiskRecord record, AuthEvents events,
    RiskNotifications notifications, TimeProvider clock, SqlitePreparedReads prepared)
{
    /// <summary>Cognito's answer to a sign-in that threat protection blocks.</summary>
    public const string BlockedMessage = "Unable to login because of security reasons.";

    public const int StuffingAccounts = 3;
    public static readonly TimeSpan StuffingWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan FailureWindow = TimeSpan.FromHours(1);

    /// <summary>How many of the user's latest events the device, network, failure and feedback signals look at.</summary>
    public const int History = 50;

    /// <summary>A proven password: assessed, recorded on the operation's events, and acted on. Answers the MFA factor the
    /// risk asks for (null: none beyond the pool's own MFA); throws NotAuthorizedException when the sign-in is blocked.</summary>
    public Task<string?> Assess(SignInContext ctx, UserRow user, CancellationToken ct) =>
        Assess(ctx.Pool, ctx.ClientId, user, RiskConfigurations.Mode(ctx.Pool), mfaPossible: true, ct);

    /// <summary>A sign-in whose proof was not a password (a custom challenge, a one-time code, a passkey): assessed as it
    /// completes, without MFA. Throws NotAuthorizedException when it is blocked.</summary>
    public Task Assess(SignInContext ctx, UserRow user, SignInKind kind, CancellationToken ct) =>
        Assess(ctx.Pool, ctx.ClientId, user, kind == SignInKind.Custom ? RiskConfigurations.CustomAuthMode(ctx.Pool) : RiskConfigurations.Mode(ctx.Pool),
            mfaPossible: false, ct);

    /// <summary>A federated sign-in (the provider proved who the user is): assessed without MFA. Throws
    /// NotAuthorizedException when it is blocked, after recording the failed event.</summary>
    public Task Federated(UserPoolStore.Pool pool, string clientId, UserRow user, CancellationToken ct) =>
        Assess(pool, clientId, user, RiskConfigurations.Mode(pool), mfaPossible: false, ct);

    async Task<string?> Assess(UserPoolStore.Pool pool, string clientId, UserRow user, string mode, bool mfaPossible, CancellationToken ct)
    {
        if (mode is not ("AUDIT" or "ENFORCED")) return null;
        var ip = events.IpAddress;
        var device = events.Device();
        record.DeviceKey = device.Key;
        record.Network = DeviceContext.NetworkOf(ip);
        var config = await configurations.Effective(pool.Row.Id, clientId, ct);
        var takeover = config?.AccountTakeoverRiskConfiguration;
        var exceptions = config?.RiskExceptionConfiguration;
        if (takeover is null && exceptions is null) return null;
        var enforced = mode == "ENFORCED";
        if (device.Unreadable)
            record.Reason(RiskReason.ContextDataUnreadable, "The app's UserContextData EncodedData was not readable; it was ignored and the device told from the request.");

        if (RiskConfigurations.InRanges(ip, exceptions?.SkippedIPRangeList))
        {
            record.Reason(RiskReason.SkippedRange, $"The address {ip} is in a skipped IP range: the sign-in is not assessed.");
            record.Decide("NoRisk");
            return null;
        }
        if (RiskConfigurations.InRanges(ip, exceptions?.BlockedIPRangeList))
        {
            record.RiskLevel = "High";
            if (!enforced)
            {
                record.Reason(RiskReason.BlockedRange, $"The address {ip} is in a blocked IP range (audit mode: recorded, not blocked).");
                record.Decide("AccountTakeover");
                return null;
            }
            record.Reason(RiskReason.BlockedRange, $"The address {ip} is in a blocked IP range: the sign-in is blocked.");
            record.Notify = takeover?.Actions?.HighAction?.Notify == true ? RiskNotifications.Block : null;
            await Block(pool, clientId, user, mfaPossible, ct);
        }
        if (takeover is null) return null;

        var score = await Score(pool, user, ip, device, record.Network, ct);
        var level = score switch { >= 3 => "High", 2 => "Medium", 1 => "Low", _ => null };
        if (level is null)
        {
            record.Decide("NoRisk");
            return null;
        }
        record.RiskLevel = level;
        record.Decide("AccountTakeover");
        var action = level switch { "High" => takeover.Actions?.HighAction, "Medium" => takeover.Actions?.MediumAction, _ => takeover.Actions?.LowAction };
        // AUDIT decides and records; it never acts or notifies.
        if (action is null || !enforced) return null;
        var notify = action.Notify == true;
        switch (action.EventAction)
        {
            case "BLOCK":
                record.Notify = notify ? RiskNotifications.Block : null;
                await Block(pool, clientId, user, mfaPossible, ct);
                return null;
            case "MFA_IF_CONFIGURED" or "MFA_REQUIRED" when !mfaPossible:
                record.Reason(RiskReason.MfaNotAsked, $"The risk level asks for MFA ({action.EventAction}), but this kind of sign-in has no MFA step (a custom challenge, a one-time code, a passkey or another identity provider proved the user): it is let through.");
                record.Notify = notify ? RiskNotifications.NoAction : null;
                return null;
            case "MFA_IF_CONFIGURED" or "MFA_REQUIRED":
                if (Factor(pool, user) is { } factor)
                {
                    record.Notify = notify ? RiskNotifications.Mfa : null;
                    return factor;
                }
                if (action.EventAction == "MFA_IF_CONFIGURED")
                {
                    record.Notify = notify ? RiskNotifications.NoAction : null;
                    return null;
                }
                record.Reason(RiskReason.NoMfaFactor, "MFA is required at this risk level, but the user has no MFA factor, verified phone number or verified email: the sign-in is blocked.");
                record.Notify = notify ? RiskNotifications.Block : null;
                await Block(pool, clientId, user, mfaPossible, ct);
                return null;
            default:
                record.Notify = notify ? RiskNotifications.NoAction : null;
                return null;
        }
    }

    /// <summary>The sign-in that passed (after MFA, if the risk asked for it): its notification, if any.</summary>
    public Task Completed(SignInContext ctx, UserRow user, CancellationToken ct) => Completed(ctx.Pool, ctx.ClientId, user, ct);

    /// <inheritdoc cref="Completed(SignInContext, UserRow, CancellationToken)"/>
    public Task Completed(UserPoolStore.Pool pool, string clientId, UserRow user, CancellationToken ct) =>
        record is { Notify: not null, SignInEvent: { } row } ? notifications.Send(pool, clientId, user, row, record.Notify, failed: false, ct) : Task.CompletedTask;

    /// <param name="password">Whether the sign-in's proof was a password (its event says the password passed).</param>
    async Task Block(UserPoolStore.Pool pool, string clientId, UserRow user, bool password, CancellationToken ct)
    {
        record.Decide("Block");
        var row = password ? events.Add(pool, user, "SignIn", "Fail", clientId, ("Password", true)) : events.Add(pool, user, "SignIn", "Fail", clientId);
        if (row is not null && record.Notify is { } kind) await notifications.Send(pool, clientId, user, row, kind, failed: true, ct);
        await db.SaveChangesAsync(ct);
        throw new NotAuthorizedException(BlockedMessage);
    }

    /// <summary>What scoring needs of the user's latest <see cref="History"/> events (passed sign-ins the user did not
    /// disown, and whether this device and network are among them; failures in the last hour; the user's feedback on
    /// events from this device or network) and of the pool's failures from this address, as one row.</summary>
    readonly record struct Signals(long Passes, long KnownDevice, long KnownNetwork, long Failures, long Valid, long Invalid, long Accounts);

    // One statement, one row: the user's latest events folded in SQL into the few counts scoring asks (instead of 50 rows
    // read into objects), and the credential-stuffing count beside them (instead of a second query). Plain ADO.NET on the
    // context's connection and transaction: EF's per-query work cost more than the database running it. The history is
    // read once and folded in one pass (SUM of CASE): SQLite prepares every command anew, and preparing the earlier form
    // (a CTE read by six subqueries) cost more than running it (bench/README.md, threat protection, branch lead5).
    // Identifiers are quoted, so the same text runs on SQLite and PostgreSQL; a null @device, @network or @ip matches
    // nothing (a comparison with NULL is not true, so its CASE counts 0).
    const string SignalsSql = """
        SELECT
            COALESCE(SUM("Pass"), 0),
            COALESCE(SUM(CASE WHEN "Pass" = 1 AND "DeviceKey" = @device THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN "Pass" = 1 AND "Network" = @network THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN "EventType" = 'SignIn' AND "EventResponse" = 'Fail' AND "CreatedAt" >= @hour THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN "FeedbackValue" = 'Valid' AND ("DeviceKey" = @device OR "Network" = @network) THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN "FeedbackValue" = 'Invalid' AND ("DeviceKey" = @device OR "Network" = @network) THEN 1 ELSE 0 END), 0),
            (SELECT COUNT(*) FROM (
                SELECT DISTINCT "UserSub" FROM "AuthEvents"
                WHERE "UserPoolId" = @pool AND "IpAddress" = @ip AND "CreatedAt" >= @stuffing
                  AND "EventType" = 'SignIn' AND "EventResponse" = 'Fail' AND "UserSub" <> @sub
                LIMIT 100) s)
        FROM (
            SELECT "EventType", "EventResponse", "CreatedAt", "DeviceKey", "Network", "FeedbackValue",
                CASE WHEN "EventType" = 'SignIn' AND "EventResponse" = 'Pass' AND ("FeedbackValue" IS NULL OR "FeedbackValue" <> 'Invalid')
                    THEN 1 ELSE 0 END AS "Pass"
            FROM "AuthEvents"
            WHERE "UserSub" = @sub AND "CreatedAt" >= @since ORDER BY "CreatedAt" DESC LIMIT 50) h
        """;

    static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

    static readonly string[] SignalsParameters = ["@sub", "@since", "@hour", "@stuffing", "@device", "@network", "@pool", "@ip"];

    static Signals SignalsOf(DbDataReader reader) => new(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
        reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));

    async Task<Signals> Read(string poolId, string sub, string? ip, string? device, string? network, DateTimeOffset now, CancellationToken ct)
    {
        // SQLite stores times as the converter's long (see SqlitePortalDb); PostgreSQL as timestamptz.
        var sqlite = db is SqlitePortalDb;
        object Time(DateTimeOffset t) => sqlite ? SqliteTime.ConvertToProvider(t)! : t;
        object?[] values = [sub, Time(now - AuthEvents.Retention), Time(now - FailureWindow), Time(now - StuffingWindow), device, network, poolId, ip];
        // SQLite: on a connection kept with the statement prepared (preparing it cost more than running it). The read needs
        // nothing of this request's own writes: every event it counts was committed by an earlier request.
        if (sqlite && db.Database.GetConnectionString() is { } file && SqlitePreparedReads.Applies(file))
            return prepared.ReadRow(file, SignalsSql, SignalsParameters, values, SignalsOf);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = SignalsSql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var timeType = sqlite ? DbType.Int64 : DbType.DateTimeOffset;
            for (var i = 0; i < SignalsParameters.Length; i++)
            {
                var p = command.CreateParameter();
                p.ParameterName = SignalsParameters[i];
                p.DbType = i is >= 1 and <= 3 ? timeType : DbType.String;
                p.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(p);
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return SignalsOf(reader);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    async Task<int> Score(UserPoolStore.Pool pool, UserRow user, string? ip, DeviceContext device, string? network, CancellationToken ct)
    {
        var signals = await Read(pool.Row.Id, user.Sub, ip, device.Key, network, clock.GetUtcNow(), ct);
        var score = 0;

        // Known devices and networks: those of passed sign-ins the user did not disown.
        if (signals.Passes > 0)
        {
            if (device.Key is not null && signals.KnownDevice == 0)
            {
                score++;
                record.Reason(RiskReason.NewDevice, $"Signed in from a device never seen for this user ({device.Label ?? "unknown device"}).");
            }
            if (network is not null && signals.KnownNetwork == 0)
            {
                score++;
                record.Reason(RiskReason.NewNetwork, $"Signed in from a network never seen for this user ({network}).");
            }
        }
        var failures = signals.Failures;
        if (failures >= 3)
        {
            score += failures >= 5 ? 2 : 1;
            record.Reason(RiskReason.RecentFailures, string.Create(CultureInfo.InvariantCulture, $"{failures} failed sign-ins of this account in the last hour."));
        }
        if (signals.Invalid > 0)
        {
            score += 2;
            record.Reason(RiskReason.FeedbackInvalid, "The user said an earlier sign-in from this device or network was not theirs.");
        }
        else if (signals.Valid > 0)
        {
            score--;
            record.Reason(RiskReason.FeedbackValid, "The user confirmed an earlier sign-in from this device or network was theirs.");
        }

        var accounts = signals.Accounts;
        if (ip is not null && accounts >= StuffingAccounts)
        {
            score += 3;
            record.Reason(RiskReason.CredentialStuffing, string.Create(CultureInfo.InvariantCulture,
                $"Failed sign-ins against {accounts}{(accounts == 100 ? "+" : "")} other accounts came from {ip} in the last {StuffingWindow.TotalMinutes:0} minutes (credential stuffing)."));
        }
        return score;
    }

    /// <summary>The MFA challenge a risky sign-in gets: the user's activated factor (preferred first), else a code to the
    /// verified phone number (SMS MFA offered) or the verified email (email MFA offered, or EMAIL_OTP allowed); null: none.</summary>
    public static string? Factor(UserPoolStore.Pool pool, UserRow user)
    {
        var mfa = Mfa.Of(pool);
        var usable = Mfa.Usable(mfa, user);
        var preferred = Mfa.Read(user).PreferredMfaSetting;
        if (preferred is not null && usable.Contains(preferred)) return preferred;
        if (usable.Count > 0) return usable[0];
        var attributes = UserStore.Attributes(user);
        if (mfa.Sms && attributes.GetValueOrDefault("phone_number_verified") == "true" && attributes.ContainsKey("phone_number")) return Mfa.Sms;
        var emailOtp = pool.Settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors?.Contains(ChallengeName.EmailOtp) == true;
        if ((mfa.Email || emailOtp) && attributes.GetValueOrDefault("email_verified") == "true" && attributes.ContainsKey("email")) return Mfa.Email;
        return null;
    }
}
