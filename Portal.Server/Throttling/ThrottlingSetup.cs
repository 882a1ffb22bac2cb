namespace Portal.Server.Throttling;

public static class ThrottlingSetup
{
    /// <summary>Rate limits (<c>Portal:RateLimits</c>): per address, per pool and category, codes per user.</summary>
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<RateLimitOptions>(portal.GetSection("RateLimits"));
        services.AddSingleton<RateLimits>();
        services.AddScoped<CodeIssuance>();
        return services;
    }
}
