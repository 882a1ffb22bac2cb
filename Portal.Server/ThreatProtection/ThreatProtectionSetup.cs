namespace Portal.Server.ThreatProtection;

public static class ThreatProtectionSetup
{
    /// <summary>Risk configurations and compromised-credentials detection (<c>Portal:ThreatProtection</c>).</summary>
    public static IServiceCollection AddThreatProtection(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<ThreatProtectionOptions>(portal.GetSection("ThreatProtection"));
        services.AddSingleton<BreachedPasswordCorpus>();
        // The operator's own URL (Pwned Passwords or a mirror of it), not one a user supplies: not behind the outbound guard.
        services.AddHttpClient<PwnedPasswordsRange>(PwnedPasswordsRange.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<IdentityPools.ConfigCache<PoolRiskConfigurations>>();
        services.AddScoped<RiskConfigurations>();
        services.AddScoped<RiskRecord>();
        services.AddScoped<CompromisedCredentials>();
        services.AddScoped<RiskNotifications>();
        services.AddScoped<AdaptiveAuthentication>();
        return services;
    }
}
