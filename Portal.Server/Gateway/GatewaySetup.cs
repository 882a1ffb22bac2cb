using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Portal.Server.Gateway;

/// <summary>The gateway's composition: YARP fed by <see cref="GatewayProxyConfig"/> (routes of appsettings and the database),
/// each request authorized by its route kind's hook before it is forwarded, decisions logged off the request path.</summary>
public static class GatewaySetup
{
    /// <summary>The gateway's limit on a request's headers (names and values, 4 bytes more per header for <c>": "</c> and
    /// CRLF): 32 KB, Kestrel's default. Kestrel itself is given <see cref="KestrelHeadersBytes"/>, so a request between the
    /// two reaches the gateway and is answered in its route's service's words instead of Kestrel's bare 431.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    /// <summary>Kestrel's limit on the headers (ALB's own limit on a request's headers is 64 KB). Past it Kestrel answers 431
    /// with no body, before any route; Portal's own endpoints take headers up to it.</summary>
    public const int KestrelHeadersBytes = 64 * 1024;

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<GatewayOptions>(portal.GetSection("Gateway"));
        services.AddSingleton<GatewayProxyConfig>();
        services.AddSingleton<IProxyConfigProvider>(s => s.GetRequiredService<GatewayProxyConfig>());
        services.AddSingleton<GatewayRoutes>();
        services.AddSingleton<GatewayRefresher>();
        services.AddHostedService(s => s.GetRequiredService<GatewayRefresher>());
        services.AddSingleton<GatewayDecisionLog>();
        services.AddHostedService<GatewayDecisionWriter>();
        services.AddSingleton<S3.S3Signature>();
        services.AddSingleton<S3.S3Policies>();
        services.AddSingleton<IGatewayRouteKind, S3.S3RouteKind>();
        services.AddReverseProxy().AddTransforms(builder =>
        {
            if (builder.Route.Metadata?.GetValueOrDefault(GatewayProxyConfig.RouteIdKey) is not { } id) return;
            var routes = builder.Services.GetRequiredService<GatewayRoutes>();
            if (routes.Find(id) is { } route && routes.KindOf(route) is { } kind) kind.Transforms(builder, route);
        });
        return services;
    }

    /// <summary>Adds the extra S3 listener (<see cref="GatewayOptions.S3ListenerPort"/>, e.g. Amplify's 20005) to the URLs
    /// Portal listens on.</summary>
    public static void AddGatewayListeners(this WebApplicationBuilder builder, IConfiguration portal)
    {
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestHeadersTotalSize = Math.Max(k.Limits.MaxRequestHeadersTotalSize, KestrelHeadersBytes));
        var port = portal.GetSection("Gateway").GetValue<int>("S3ListenerPort");
        if (port <= 0) return;
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.IsNullOrEmpty(urls) ? $"http://localhost:{port}" : $"{urls};http://localhost:{port}");
    }

    /// <summary>The proxy's endpoints (ordered before the portal's), each request first authorized by its route's kind.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(async (http, next) =>
            {
                var routes = http.RequestServices.GetRequiredService<GatewayRoutes>();
                var config = http.GetReverseProxyFeature().Route.Config;
                if (config.Metadata?.GetValueOrDefault(GatewayProxyConfig.RouteIdKey) is not { } id || routes.Find(id) is not { } route
                    || routes.KindOf(route) is not { } kind)
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                var request = new GatewayRequest(http, route, http.RequestServices.GetRequiredService<GatewayDecisionLog>());
                if (HeaderBytes(http.Request.Headers) > MaxRequestHeadersBytes)
                {
                    request.Record(new GatewayDecision(GatewayDecision.Error)
                    {
                        Action = $"{http.Request.Method} {http.Request.Path}", Resource = route.Id, ErrorCode = "RequestHeaderSectionTooLarge",
                        Statement = $"request headers over {MaxRequestHeadersBytes} bytes",
                    });
                    await kind.HeadersTooLarge(request);
                    return;
                }
                if (!await kind.Authorize(request)) return;
                await next();
                if (http.Features.Get<Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature>() is { } failed && !http.Response.HasStarted)
                    await kind.ForwardFailed(request, failed.Error, failed.Exception);
            });
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    /// <summary>The size of the request's headers as Kestrel counts them against its limit, near enough: names, values and
    /// 4 bytes of separators per line.</summary>
    static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values) total += name.Length + (value?.Length ?? 0) + 4;
            if (total > MaxRequestHeadersBytes) break;
        }
        return total;
    }
}
