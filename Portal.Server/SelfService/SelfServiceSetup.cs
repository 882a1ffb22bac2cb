namespace Portal.Server.SelfService;

public static class SelfServiceSetup
{
    /// <summary>The services of the self-service operations (the operations themselves are found by the engine).</summary>
    public static IServiceCollection AddSelfService(this IServiceCollection services)
    {
        services.AddScoped<SignedInUsers>();
        services.AddScoped<Contacts>();
        return services;
    }
}
