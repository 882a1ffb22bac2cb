namespace Portal.Server.IdentityPools;

public static class IdentityPoolsSetup
{
    /// <summary>Identity pools' services; their operations are registered with the engine's (every IOperation).</summary>
    public static IServiceCollection AddIdentityPools(this IServiceCollection services)
    {
        services.AddSingleton<IdentityIds>();
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
