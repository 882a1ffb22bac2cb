using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Server.Sync.Push;
using Portal.Server.Outbound;

namespace Portal.Server.Sync;

public static class SyncSetup
{
    /// <summary>Cognito Sync's services; its operations are registered with the engine's (every IOperation).</summary>
    public static IServiceCollection AddCognitoSync(this IServiceCollection services)
    {
        services.AddScoped<SyncStore>();
        services.AddOptions<SyncRoleOptions>().BindConfiguration(SyncRoleOptions.Section);
        services.AddHttpClient(SyncRoles.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15)).GuardOutbound();
        services.AddSingleton<SyncRoles>();
        services.AddOptions<Streams.KinesisOptions>().BindConfiguration("Portal:Sync:Kinesis");
        services.AddHttpClient(Streams.KinesisClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).GuardOutbound();
        services.AddScoped<Streams.KinesisClient>();
        services.AddScoped<Streams.StreamOutbox>();
        services.AddSingleton<Streams.StreamPublisher>();
        services.AddHostedService(s => s.GetRequiredService<Streams.StreamPublisher>());
        services.AddScoped<Events.SyncTriggerEvent>();
        services.AddSingleton<SyncUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<SyncUsage>());
        services.TryAddScoped<Gateway.IamApi.RolePolicies>();
        services.AddPushSync();
        return services;
    }
}
