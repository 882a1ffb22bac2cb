using Portal.Server.Outbound;

namespace Portal.Server.UserPools.LogDelivery;

public static class LogDeliverySetup
{
    /// <summary>Log delivery: the records' writer, the outbox worker and one sender per destination kind.</summary>
    public static IServiceCollection AddLogDelivery(this IServiceCollection services)
    {
        services.AddOptions<LogDeliveryOptions>().BindConfiguration(LogDeliveryOptions.Section);
        services.AddHttpClient(CloudWatchLogsSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(20)).GuardOutbound();
        services.AddSingleton<ILogSender, CloudWatchLogsSender>();
        services.AddSingleton<ILogSender, FirehoseSender>();
        services.AddSingleton<ILogSender, S3Sender>();
        services.AddSingleton<LogDeliveryWorker>();
        services.AddHostedService(s => s.GetRequiredService<LogDeliveryWorker>());
        services.AddScoped<LogRecords>();
        return services;
    }
}
