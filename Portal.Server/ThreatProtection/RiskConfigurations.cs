using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.ThreatProtection;

/// <summary>The pools' and app clients' threat-protection settings (SetRiskConfiguration). As in Cognito, an app client
/// with a configuration of its own uses it whole; any other client uses the pool's.</summary>
public sealed class RiskConfigurations(PortalDb db, ConfigCache<PoolRiskConfigurations> cache)
{
    public static bool Enabled(UserPoolStore.Pool pool) => Mode(pool) is "AUDIT" or "ENFORCED";

    /// <summary>OFF, AUDIT (decide and record, never act) or ENFORCED (act).</summary>
    public static string Mode(UserPoolStore.Pool pool) => pool.Settings.UserPoolAddOns?.AdvancedSecurityMode ?? "OFF";

    /// <summary>The mode of custom authentication (CUSTOM_AUTH): as in Cognito, its own AdvancedSecurityAdditionalFlows
    /// CustomAuthMode (AUDIT or ENFORCED), and OFF without it or when the pool's threat protection is off.</summary>
    public static string CustomAuthMode(UserPoolStore.Pool pool) =>
        Enabled(pool) ? pool.Settings.UserPoolAddOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode ?? "OFF" : "OFF";

    /// <summary>The configuration that applies to sign-ins through this client (the client's own, else the pool's), as
    /// every sign-in and password check reads it: from this instance's cache of the pool's configurations, parsed once.</summary>
    /// <remarks>A change made through this instance forgets the pool's entry at once and after its commit; other instances
    /// forget it when the change's notification arrives (<see cref="ChangeNotifications"/>, well under a second), and
    /// the entry's lifetime (<see cref="ConfigCache{T}.Ttl"/>) bounds a lost notification. The objects are shared: read only.</remarks>
    public async Task<RiskConfigurationType?> Effective(string poolId, string? clientId, CancellationToken ct) =>
        (await cache.Get(poolId, async c => await Load(poolId, c), ct))!.For(clientId);

    /// <summary>The configuration as stored now (DescribeRiskConfiguration), not the cached copy.</summary>
    public async Task<RiskConfigurationType?> Stored(string poolId, string? clientId, CancellationToken ct) =>
        (await Load(poolId, ct)).For(clientId);

    async Task<PoolRiskConfigurations> Load(string poolId, CancellationToken ct)
    {
        var rows = await db.RiskConfigurations.AsNoTracking().Where(r => r.UserPoolId == poolId).ToListAsync(ct);
        return new PoolRiskConfigurations(rows.ToDictionary(r => r.ClientId, Describe, StringComparer.Ordinal));
    }

    /// <summary>The stored row, tracked for a change (the caller says <see cref="Changed"/>).</summary>
    public Task<RiskConfigurationRow?> Find(string poolId, string? clientId, CancellationToken ct) =>
        db.RiskConfigurations.FirstOrDefaultAsync(r => r.UserPoolId == poolId && r.ClientId == (clientId ?? ""), ct);

    /// <summary>Says the pool's configurations changed: this instance's cached copy is forgotten now and again once the
    /// operation is committed, and other instances' when it commits.</summary>
    public async Task Changed(string poolId, CancellationToken ct)
    {
        cache.Forget(poolId);
        db.ConfigChanged(ChangeNotifications.RiskConfiguration, poolId);
        await db.Work.AfterCommit(_ =>
        {
            cache.Forget(poolId);
            return Task.CompletedTask;
        }, ct);
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

/// <summary>Every risk configuration of one pool, parsed: the pool's own (client id "") and its app clients' own.</summary>
public sealed class PoolRiskConfigurations(IReadOnlyDictionary<string, RiskConfigurationType> byClient)
{
    /// <summary>The client's own configuration, else the pool's; null when neither is set.</summary>
    public RiskConfigurationType? For(string? clientId) =>
        clientId is { Length: > 0 } && byClient.TryGetValue(clientId, out var own) ? own : byClient.GetValueOrDefault("");
}
