using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.ThreatProtection;

/// <summary>The pools' and app clients' threat-protection settings (SetRiskConfiguration). As in Cognito, an app client
/// with a configuration of its own uses it whole; any other client uses the pool's.</summary>
public sealed class RiskConfigurations(PortalDb db)
{
    public static bool Enabled(UserPoolStore.Pool pool) => Mode(pool) is "AUDIT" or "ENFORCED";

    /// <summary>OFF, AUDIT (decide and record, never act) or ENFORCED (act).</summary>
    public static string Mode(UserPoolStore.Pool pool) => pool.Settings.UserPoolAddOns?.AdvancedSecurityMode ?? "OFF";

    /// <summary>The mode of custom authentication (CUSTOM_AUTH): as in Cognito, its own AdvancedSecurityAdditionalFlows
    /// CustomAuthMode (AUDIT or ENFORCED), and OFF without it or when the pool's threat protection is off.</summary>
    public static string CustomAuthMode(UserPoolStore.Pool pool) =>
        Enabled(pool) ? pool.Settings.UserPoolAddOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode ?? "OFF" : "OFF";

    /// <summary>The configuration that applies to sign-ins through this client (the client's own, else the pool's).</summary>
    /// <remarks>Read once per unit of work: a password sign-in asks for it from the compromised-credentials check, the risk
    /// assessment and the notification alike.</remarks>
    public async Task<RiskConfigurationType?> Effective(string poolId, string? clientId, CancellationToken ct)
    {
        var key = (poolId, clientId ?? "");
        if (read.TryGetValue(key, out var known)) return known;
        var rows = await db.RiskConfigurations.AsNoTracking()
            .Where(r => r.UserPoolId == poolId && (r.ClientId == "" || r.ClientId == key.Item2)).ToListAsync(ct);
        var row = rows.FirstOrDefault(r => r.ClientId.Length > 0) ?? rows.FirstOrDefault();
        return read[key] = row is null ? null : Describe(row);
    }

    readonly Dictionary<(string Pool, string Client), RiskConfigurationType?> read = [];

    /// <summary>The stored row, tracked for a change: what this unit of work read before is forgotten.</summary>
    public Task<RiskConfigurationRow?> Find(string poolId, string? clientId, CancellationToken ct)
    {
        read.Clear();
        return db.RiskConfigurations.FirstOrDefaultAsync(r => r.UserPoolId == poolId && r.ClientId == (clientId ?? ""), ct);
    }

    public static RiskConfigurationType Describe(RiskConfigurationRow row) => new()
    {
        UserPoolId = row.UserPoolId,
        ClientId = row.ClientId.Length == 0 ? null : row.ClientId,
        CompromisedCredentialsRiskConfiguration = Read<CompromisedCredentialsRiskConfigurationType>(row.CompromisedCredentials),
        AccountTakeoverRiskConfiguration = Read<AccountTakeoverRiskConfigurationType>(row.AccountTakeover),
        RiskExceptionConfiguration = Read<RiskExceptionConfigurationType>(row.RiskExceptions),
        LastModifiedDate = row.LastModifiedAt,
    };

    public static string? Write<T>(T? value) where T : class => value is null ? null : JsonSerializer.Serialize(value, CognitoJson.Options);

    static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, CognitoJson.Options);

    /// <summary>Whether the address lies in one of the CIDR ranges (the ranges were checked when set).</summary>
    public static bool InRanges(string? address, IEnumerable<string>? ranges)
    {
        if (ranges is null || !IPAddress.TryParse(address, out var ip)) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return ranges.Any(r => IPNetwork.TryParse(r, out var net) && net.Contains(ip));
    }
}
