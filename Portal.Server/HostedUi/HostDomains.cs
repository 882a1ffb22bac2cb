using Microsoft.Extensions.Options;

namespace Portal.Server.HostedUi;

public sealed class HostedUiOptions
{
    /// <summary>When set (e.g. "auth.example.com"), a pool domain is also served host-based at
    /// <c>{domain}.{AuthDomain}</c>, as Cognito's <c>{domain}.auth.{region}.amazoncognito.com</c>.</summary>
    public string? AuthDomain { get; set; }
}

/// <summary>Host-based pool domains: <c>https://shop.auth.example.com/login</c> is served as <c>/shop/login</c>.</summary>
public static class HostDomains
{
    public static IApplicationBuilder UseHostDomains(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var suffix = http.RequestServices.GetRequiredService<IOptions<HostedUiOptions>>().Value.AuthDomain;
        if (!string.IsNullOrEmpty(suffix))
        {
            var host = http.Request.Host.Host;
            var dot = "." + suffix.Trim('.');
            if (host.EndsWith(dot, StringComparison.OrdinalIgnoreCase) && host.Length > dot.Length)
            {
                var domain = host[..^dot.Length].ToLowerInvariant();
                // Only one label: the pool domain itself, never a deeper name.
                if (!domain.Contains('.') && !http.Request.Path.StartsWithSegments("/" + domain))
                    http.Request.Path = "/" + domain + http.Request.Path;
            }
        }
        await next();
    });
}
