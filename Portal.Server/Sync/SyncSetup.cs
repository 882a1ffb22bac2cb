using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.Server.Sync;

public static class SyncSetup
{
    /// <summary>Cognito Sync's services; its operations are registered with the engine's (every IOperation).</summary>
    public static IServiceCollection AddCognitoSync(this IServiceCollection services)
    {
        services.AddScoped<SyncStore>();
        services.AddSingleton<SyncUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<SyncUsage>());
        services.TryAddScoped<Gateway.IamApi.RolePolicies>();
        return services;
    }
}
