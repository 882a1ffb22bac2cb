using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Server.Outbound;

namespace Portal.Server.Messaging;

public static class MessagingSetup
{
    /// <summary>Codes, messages, SMTP (<c>Portal:Smtp</c>) and SMS (<c>Portal:Sms</c>); the SMS sender is chosen at resolve time.</summary>
    public static IServiceCollection AddPortalMessaging(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<SmtpOptions>(portal.GetSection("Smtp"));
        services.Configure<SmsOptions>(portal.GetSection("Sms"));
        services.AddHttpClient(WebhookSmsSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15)).GuardOutbound();
        services.TryAddSingleton<ISmsSender>(sp =>
            sp.GetRequiredService<IOptions<SmsOptions>>().Value.WebhookUrl is { Length: > 0 } url
                ? new WebhookSmsSender(sp.GetRequiredService<IHttpClientFactory>(), new Uri(url))
                : new OutboxOnlySmsSender());
        services.AddSingleton<SmtpEmailSender>();
        services.AddScoped<Codes>();
        services.AddScoped<Messages>();
        return services;
    }
}
