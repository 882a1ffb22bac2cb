using Portal.Server.Outbound;

namespace Portal.Server.Sync.Push;

public static class PushSetup
{
    /// <summary>Push sync's services: the outbox, its delivery, SNS and the VAPID keys; the public key's endpoint.</summary>
    public static IServiceCollection AddPushSync(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section);
        services.AddHttpClient(SnsClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15)).GuardOutbound();
        services.AddSingleton<SnsClient>();
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<PushDelivery>();
        services.AddHostedService(s => s.GetRequiredService<PushDelivery>());
        services.AddScoped<PushOutbox>();
        return services;
    }

    /// <summary><c>GET /webpush/vapid-public-key</c>: the deployment's VAPID public key (base64url), the
    /// <c>applicationServerKey</c> a page passes to <c>PushManager.subscribe</c> before RegisterDevice with WEB_PUSH.</summary>
    public static IEndpointRouteBuilder MapPushSync(this IEndpointRouteBuilder app)
    {
        app.MapGet("/webpush/vapid-public-key", async (VapidKeys keys, CancellationToken ct) =>
            Results.Json(new { publicKey = (await keys.Get(ct)).Public })).AllowAnonymous().WithName("WebPushVapidPublicKey");
        return app;
    }
}
