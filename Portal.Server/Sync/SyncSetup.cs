using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Server.Sync.Push;

namespace Portal.Server.Sync;

public static class SyncSetup
{
    /// <summary>Cognito Sync's services; its operations are registered with the engine's (every IOperation).</summary>
    public static IServiceCollection AddCognitoSync(this IServiceCollection services)
    {
        services.AddScoped<SyncStore>();
        services.TryAddScoped<Gateway.IamApi.RolePolicies>();
        services.AddPushSync();
        return services;
    }
}
