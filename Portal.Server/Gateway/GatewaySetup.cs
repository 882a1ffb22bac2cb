using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Portal.Server.Gateway;

/// <summary>The gateway's composition: YARP fed by <see cref="GatewayProxyConfig"/> (routes of appsettings and the database),
/// each request authorized by its route kind's hook before it is forwarded, decisions logged off the request path.</summary>
public static class GatewaySetup
{
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
}
