namespace Portal.Server.IdentityPools;

public static class IdentityPoolsSetup
{
    /// <summary>Identity pools' services; their operations are registered with the engine's (every IOperation).</summary>
    public static IServiceCollection AddIdentityPools(this IServiceCollection services)
    {
        services.AddSingleton<IdentityIds>();
        services.AddSingleton<CredentialsUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<CredentialsUsage>());
        // Per-instance caches of the hot path's configuration (ConfigCache: 5 s at most behind another instance's change).
        services.AddSingleton<ConfigCache<Portal.Server.Storage.IdentityPoolRow>>();
        services.AddSingleton<ConfigCache<Portal.Server.Sts.TrustedRole>>();
        services.AddSingleton<ConfigCache<Portal.Server.Auth.SigningKey>>();
        services.AddScoped<IdentityPoolStore>();
        services.AddScoped<IdentityPoolRules>();
        services.AddScoped<Identities>();
        services.AddScoped<Logins>();
        services.AddScoped<SocialTokens>();
        services.AddOptions<SocialTokenOptions>().BindConfiguration(SocialTokenOptions.Section);
        services.AddScoped<IdentityTokens>();
        services.AddScoped<IdentityAccess>();
        services.AddSingleton<Portal.Server.Sts.IIdentityIssuer, OwnIdentityIssuer>();
        return services;
    }
}
