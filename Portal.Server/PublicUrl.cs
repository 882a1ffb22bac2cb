using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Portal.Server.HostedUi;

namespace Portal.Server;

/// <summary>Which URL Portal is reached at, decided once at start-up and never from a request: token issuers, the
/// admin sign-in's authority and every link are built from it. Also which Host names are answered and which proxies
/// may say where a request came from.</summary>
public static class PublicUrl
{
    /// <summary>Proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed; none unless configured.</summary>
    public sealed class ForwardedHeadersSettings
    {
        public List<string> KnownProxies { get; set; } = [];
        /// <summary>CIDR ranges, e.g. <c>10.0.0.0/8</c>.</summary>
        public List<string> KnownNetworks { get; set; } = [];
    }

    public static IServiceCollection AddPublicUrl(this IServiceCollection services)
    {
        services.AddOptions<PortalOptions>().PostConfigure<IConfiguration, IHostEnvironment>((o, configuration, environment) =>
            o.PublicBaseUrl = Resolve(o.PublicBaseUrl, configuration, environment));
        // Runs before the web host's own AllowedHosts post-configuration, which keeps a list already set.
        services.AddOptions<HostFilteringOptions>().Configure<IConfiguration, IHostEnvironment, IOptions<PortalOptions>, IOptions<HostedUiOptions>>(
            (o, configuration, environment, portal, hostedUi) =>
            {
                if (!string.IsNullOrWhiteSpace(configuration["AllowedHosts"])) return;
                o.AllowedHosts = AllowedHosts(portal.Value.PublicBaseUrl!, hostedUi.Value.AuthDomain, environment.IsDevelopment());
            });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var settings = configuration.GetSection("Portal:ForwardedHeaders").Get<ForwardedHeadersSettings>() ?? new();
            // The Host is never taken from a proxy: the public URL is configured, not forwarded.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>Decides the public URL now (refusing to start without one outside Development) and believes
    /// forwarded headers only from the proxies configured.</summary>
    public static WebApplication UsePublicUrl(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
        var forwarded = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0) app.UseForwardedHeaders();
        return app;
    }

    public static string Resolve(string? configured, IConfiguration configuration, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured.Trim().TrimEnd('/');
        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                "Portal:PublicBaseUrl is not set. Outside Development Portal must be told the URL users reach it at " +
                "(for example Portal__PublicBaseUrl=https://id.example.com): token issuers and the admin sign-in are built from it, never from a request's Host header.");
        return Listening(configuration);
    }

    /// <summary>The first address Kestrel is told to listen on, with a wildcard host read as localhost.</summary>
    static string Listening(IConfiguration configuration)
    {
        var url = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                  ?? configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).FirstOrDefault(u => !string.IsNullOrEmpty(u))
                  ?? Port("https", configuration["https_ports"])
                  ?? Port("http", configuration["http_ports"])
                  ?? "http://localhost:5000";
        return url.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost")
            .Replace("://*", "://localhost").TrimEnd('/');
    }

    static string? Port(string scheme, string? ports) =>
        ports?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } port
            ? $"{scheme}://localhost:{port}" : null;

    static string[] AllowedHosts(string publicBaseUrl, string? authDomain, bool development)
    {
        var hosts = new List<string> { new Uri(publicBaseUrl).Host };
        if (!string.IsNullOrWhiteSpace(authDomain)) hosts.Add("*." + authDomain.Trim().Trim('.'));
        if (development) hosts.AddRange(["localhost", "127.0.0.1", "[::1]"]);
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }
}
