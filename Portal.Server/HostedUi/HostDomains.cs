using Microsoft.Extensions.Options;

namespace Portal.Server.HostedUi;

public sealed class HostedUiOptions
{
    /// <summary>When set (e.g. "auth.example.com"), a pool domain is also served host-based at
    /// <c>{domain}.{AuthDomain}</c>, as Cognito's <c>{domain}.auth.{region}.amazoncognito.com</c>. In Development it
    /// defaults to <c>localhost</c>: <c>https://{domain}.localhost:{port}/login</c> works out of the box.</summary>
    public string? AuthDomain { get; set; }
}

/// <summary>Host-based pool domains: <c>https://shop.auth.example.com/login</c> is served as <c>/shop/login</c>.
/// Pages reached that way link, redirect and set cookies on the host-based origin (<see cref="BasePath"/>,
/// <see cref="CookiePath"/>); the Host is only ever compared with the configured <c>AuthDomain</c>.</summary>
public static class HostDomains
{
    const string Item = "Portal.HostDomain";
    /// <summary>Shared files every page loads from the origin's root, never a pool domain's.</summary>
    static readonly string[] Shared = ["/hosted-ui", "/assets", "/favicon.ico"];

    /// <summary>In Development, pool domains are host-based on <c>*.localhost</c> unless configured otherwise.</summary>
    public static IServiceCollection AddHostDomainDefaults(this IServiceCollection services)
    {
        // The custom domains join the host filter's AllowedHosts (loaded from the database, never from a request).
        services.AddSingleton<CustomDomainHosts>();
        services.AddHostedService(s => s.GetRequiredService<CustomDomainHosts>());
        services.AddSingleton<IOptionsChangeTokenSource<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>>(s => s.GetRequiredService<CustomDomainHosts>());
        services.AddSingleton<IPostConfigureOptions<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>>(s => s.GetRequiredService<CustomDomainHosts>());
        services.AddOptions<HostedUiOptions>().PostConfigure<IHostEnvironment>((o, environment) =>
        {
            if (string.IsNullOrWhiteSpace(o.AuthDomain) && environment.IsDevelopment()) o.AuthDomain = "localhost";
            o.AuthDomain = string.IsNullOrWhiteSpace(o.AuthDomain) ? null : o.AuthDomain.Trim().Trim('.');
        });
        return services;
    }

    public static IApplicationBuilder UseHostDomains(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var suffix = http.RequestServices.GetRequiredService<IOptions<HostedUiOptions>>().Value.AuthDomain;
        if (!Shared.Any(s => http.Request.Path.StartsWithSegments(s))
            && (DomainOf(http.Request.Host.Host, suffix) ?? await CustomDomainOf(http)) is { } domain)
        {
            http.Items[Item] = domain;
            if (!http.Request.Path.StartsWithSegments("/" + domain))
                http.Request.Path = "/" + domain + http.Request.Path;
        }
        await next();
    });

    /// <summary>The pool domain a host names under the configured suffix (one label only), else null.</summary>
    public static string? DomainOf(string host, string? suffix)
    {
        if (string.IsNullOrEmpty(suffix)) return null;
        var dot = "." + suffix.Trim('.');
        if (!host.EndsWith(dot, StringComparison.OrdinalIgnoreCase) || host.Length <= dot.Length) return null;
        var domain = host[..^dot.Length].ToLowerInvariant();
        return domain.Contains('.') ? null : domain;
    }

    /// <summary>A custom domain (<c>auth.example.com</c>, created with CustomDomainConfig) this request's Host names, else null.
    /// Only a dotted name other than the public URL's host is looked up; the host filter (AllowedHosts plus the custom domains,
    /// <see cref="CustomDomainHosts"/>) has already let it in.</summary>
    static async Task<string?> CustomDomainOf(HttpContext http)
    {
        var host = http.Request.Host.Host.ToLowerInvariant();
        if (!host.Contains('.') || System.Net.IPAddress.TryParse(host, out _)) return null;
        var publicHost = new Uri(http.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value.PublicBaseUrl!).Host;
        if (string.Equals(host, publicHost, StringComparison.OrdinalIgnoreCase)) return null;
        var db = http.RequestServices.GetRequiredService<Storage.PortalDb>();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Domains.Where(d => d.Domain == host).Select(d => d.Domain), http.RequestAborted);
    }

    /// <summary>Whether this request reached the pool domain host-based (<c>{domain}.{AuthDomain}</c>).</summary>
    public static bool IsHostBased(HttpContext http, string domain) =>
        http.Items.TryGetValue(Item, out var d) && string.Equals(d as string, domain, StringComparison.Ordinal);

    /// <summary>The pool domain this request reached host-based, or null.</summary>
    public static string? Domain(HttpContext http) => http.Items.TryGetValue(Item, out var d) ? d as string : null;

    /// <summary>What the domain's pages are under on this request's origin: "" host-based, "/{domain}" path-based.</summary>
    public static string BasePath(HttpContext http, string domain) => IsHostBased(http, domain) ? "" : "/" + domain;

    /// <summary>The path the domain's cookies are scoped to on this request's origin.</summary>
    public static string CookiePath(HttpContext http, string domain) => IsHostBased(http, domain) ? "/" : "/" + domain;

    /// <summary>The host-based origin this request arrived at, e.g. <c>https://shop.localhost:7219</c>, or null when the
    /// request is path-based. Built from the configured names only: the host is <c>{domain}.{AuthDomain}</c>, the scheme
    /// the request's (X-Forwarded-Proto only from trusted proxies), the port the public URL's for the public URL's scheme
    /// (behind a proxy), else the port the request came in on, never the Host header's.</summary>
    public static string? Origin(HttpContext http, string domain, string publicBaseUrl)
    {
        if (!IsHostBased(http, domain)) return null;
        var suffix = http.RequestServices.GetRequiredService<IOptions<HostedUiOptions>>().Value.AuthDomain;
        var publicUrl = new Uri(publicBaseUrl);
        var scheme = http.Request.Scheme;
        var port = string.Equals(scheme, publicUrl.Scheme, StringComparison.OrdinalIgnoreCase) ? publicUrl.Port : http.Connection.LocalPort;
        // A custom domain is its own host name; a prefix domain is a label under the AuthDomain.
        var host = domain.Contains('.') ? domain : $"{domain}.{suffix}";
        return new UriBuilder(scheme, host, port).Uri.GetLeftPart(UriPartial.Authority);
    }
}
