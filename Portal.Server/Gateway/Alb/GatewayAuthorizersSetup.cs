using Portal.Server.Gateway.IamApi;
using Portal.Server.Gateway.JwtApi;

namespace Portal.Server.Gateway.Alb;

/// <summary>The authorizers of the IamApi, JwtApi and Alb routes, and the ALB public keys' URL.</summary>
public static class GatewayAuthorizersSetup
{
    public const string AlbKeysPath = "/gateway/alb-keys";

    public static IServiceCollection AddGatewayAuthorizers(this IServiceCollection services)
    {
        services.AddScoped<JwtAuthorizer>();
        services.AddScoped<RolePolicies>();
        services.AddScoped<IamApiAuthorizer>();
        services.AddSingleton<AlbSigningKey>();
        services.AddSingleton<AlbSessionCookies>();
        services.AddScoped<AlbAuthenticator>();
        services.AddSingleton<IGatewayRouteKind, IamApiRouteKind>();
        services.AddSingleton<IGatewayRouteKind, JwtApiRouteKind>();
        services.AddSingleton<IGatewayRouteKind, AlbRouteKind>();
        return services;
    }

    /// <summary><c>GET /gateway/alb-keys/{kid}</c>: the PEM public key of x-amzn-oidc-data, as
    /// <c>https://public-keys.auth.elb.{region}.amazonaws.com/{kid}</c> serves it; 404 for an unknown kid.</summary>
    public static IEndpointRouteBuilder MapAlbKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet(AlbKeysPath + "/{kid}", async (string kid, AlbSigningKey key, HttpContext http) =>
        {
            var pem = await key.PublicPem(kid, http.RequestAborted);
            if (pem is null) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(pem, "application/x-pem-file");
        }).AllowAnonymous();
        return app;
    }
}
