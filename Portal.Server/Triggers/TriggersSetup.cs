using Portal.Server.Outbound;

namespace Portal.Server.Triggers;

public static class TriggersSetup
{
    /// <summary>The trigger engine (<c>Portal:Triggers</c>): targets, invoker, invocation log and the lifecycle hooks.</summary>
    public static IServiceCollection AddTriggers(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<TriggerOptions>(portal.GetSection("Triggers"));
        // The invoker enforces its own time limit; the client's timeout only backs it up.
        services.AddHttpClient(WebhookTarget.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).GuardOutbound();
        services.AddSingleton<InlineJavaScript>();
        services.AddSingleton<WebhookTarget>();
        services.AddSingleton<LambdaTarget>();
        services.AddSingleton<TriggerLog>();
        services.AddScoped<TriggerFunctions>();
        services.AddScoped<TriggerInvoker>();
        services.AddScoped<UserTriggers>();
        services.AddScoped<UserMigration>();
        return services;
    }
}
