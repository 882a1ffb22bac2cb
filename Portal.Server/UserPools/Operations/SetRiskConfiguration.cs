using System.Net;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.ThreatProtection;

namespace Portal.Server.UserPools.Operations;

/// <summary>Sets the threat-protection configuration of a pool, or of one app client (which then uses it instead of the
/// pool's). Only UserPoolId (and ClientId): back to the defaults, or for a client back to the pool's. A pool whose threat
/// protection is OFF answers UserPoolAddOnNotEnabledException, as Cognito does.</summary>
sealed class SetRiskConfiguration(PortalDb db, UserPoolStore pools, AppClientStore clients, RiskConfigurations configurations, TimeProvider clock)
    : IOperation<SetRiskConfigurationRequest, SetRiskConfigurationResponse>
{
    static readonly string[] EventFilters = ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"];

    public async Task<SetRiskConfigurationResponse> Handle(SetRiskConfigurationRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (request.ClientId is not null) await clients.Get(pool.Row.Id, request.ClientId, ct);
        RequireThreatProtection(pool);
        Validate(request);
        var row = await configurations.Find(pool.Row.Id, request.ClientId, ct);
        if (row is null)
        {
            row = new RiskConfigurationRow { UserPoolId = pool.Row.Id, ClientId = request.ClientId ?? "" };
            db.RiskConfigurations.Add(row);
        }
        row.CompromisedCredentials = RiskConfigurations.Write(request.CompromisedCredentialsRiskConfiguration);
        row.AccountTakeover = RiskConfigurations.Write(request.AccountTakeoverRiskConfiguration);
        row.RiskExceptions = RiskConfigurations.Write(request.RiskExceptionConfiguration);
        row.LastModifiedAt = clock.GetUtcNow();
        // A client set back to nothing inherits the pool's configuration again.
        var inherits = request.ClientId is not null && request.CompromisedCredentialsRiskConfiguration is null
                       && request.AccountTakeoverRiskConfiguration is null && request.RiskExceptionConfiguration is null;
        if (inherits) db.RiskConfigurations.Remove(row);
        await configurations.Changed(pool.Row.Id, ct);
        await db.SaveChangesAsync(ct);
        return new SetRiskConfigurationResponse
        {
            RiskConfiguration = inherits ? new RiskConfigurationType { UserPoolId = pool.Row.Id, ClientId = request.ClientId } : RiskConfigurations.Describe(row),
        };
    }

    public static void RequireThreatProtection(UserPoolStore.Pool pool)
    {
        if (!RiskConfigurations.Enabled(pool))
            throw new UserPoolAddOnNotEnabledException(
                $"Advanced security features are not enabled for user pool {pool.Row.Id}: set UserPoolAddOns AdvancedSecurityMode to AUDIT or ENFORCED.");
    }

    static void Validate(SetRiskConfigurationRequest request)
    {
        var filter = request.CompromisedCredentialsRiskConfiguration?.EventFilter ?? [];
        for (var i = 0; i < filter.Count; i++)
            if (!EventFilters.Contains(filter[i]))
                throw new InvalidParameterException(
                    $"1 validation error detected: Value '{filter[i]}' at 'compromisedCredentialsRiskConfiguration.eventFilter.{i + 1}.member' failed to satisfy constraint: Member must satisfy enum value set: [SIGN_IN, PASSWORD_CHANGE, SIGN_UP]");
        var exceptions = request.RiskExceptionConfiguration;
        foreach (var (list, name) in new[] { (exceptions?.BlockedIPRangeList, "BlockedIPRangeList"), (exceptions?.SkippedIPRangeList, "SkippedIPRangeList") })
            foreach (var range in list ?? [])
                if (!IsCidr(range))
                    throw new InvalidParameterException($"Invalid IP range '{range}' in {name}: give CIDR notation, such as 192.0.2.0/24 or 2001:db8::/32.");
        var actions = request.AccountTakeoverRiskConfiguration;
        if (actions is not null && actions.Actions is { LowAction: null, MediumAction: null, HighAction: null })
            throw new InvalidParameterException("AccountTakeoverRiskConfiguration Actions needs at least one of LowAction, MediumAction and HighAction.");
        var notify = actions?.NotifyConfiguration;
        var notifies = actions?.Actions is { } a && new[] { a.LowAction, a.MediumAction, a.HighAction }.Any(x => x?.Notify == true);
        if (notifies && notify is null)
            throw new InvalidParameterException("NotifyConfiguration is required when an account-takeover action notifies the user.");
    }

    /// <summary>"192.0.2.0/24", "2001:db8::/32": an address, a slash, a prefix length within the family's bits, no host bits.</summary>
    static bool IsCidr(string range)
    {
        var slash = range.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(range[..slash], out var address)) return false;
        if (!int.TryParse(range[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits)) return false;
        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return bits <= max && IPNetwork.TryParse(range, out _);
    }
}
