using System.Security.Cryptography;
using System.Text;

namespace Portal.Server;

/// <summary><c>/metrics</c> behind a bearer token when <c>Portal:Metrics:BearerToken</c> is set (Prometheus'
/// <c>authorization: {credentials: ...}</c>); open otherwise, as for a scrape on a private network.</summary>
public static class MetricsAccess
{
    public const string Path = "/metrics";

    public static IApplicationBuilder UseMetricsAccess(this IApplicationBuilder app, IConfiguration configuration)
    {
        var token = configuration["Portal:Metrics:BearerToken"];
        if (string.IsNullOrEmpty(token)) return app;
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        return app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Path)
                && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()), expected))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }
            await next();
        });
    }
}
