using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Portal.Server.Tls;

/// <summary>HTTPS for development: when Portal runs in Development, listens on an <c>https://</c> address and no
/// certificate is configured (Kestrel's <c>Kestrel:Certificates:Default</c> or an endpoint's <c>Certificate</c>, which
/// always win), its server certificates come from a <see cref="LocalCertificateAuthority"/> kept in the data folder.
/// Outside Development nothing changes: configure a certificate the standard Kestrel way.</summary>
public static class LocalHttps
{
    public sealed class Holder(string folder, TimeProvider clock)
    {
        readonly Lazy<LocalCertificateAuthority> authority = new(() => LocalCertificateAuthority.LoadOrCreate(folder, clock));
        public LocalCertificateAuthority Authority => authority.Value;
        public bool Used => authority.IsValueCreated;
    }

    public static WebApplicationBuilder AddLocalHttps(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!builder.Environment.IsDevelopment() || !configuration.GetValue("Portal:Https:LocalCertificate", true)) return builder;
        if (HasConfiguredCertificate(configuration)) return builder;
        var dataFolder = configuration["Portal:Storage:DataFolder"] is { Length: > 0 } f ? f : "data";
        var holder = new Holder(Path.Combine(builder.Environment.ContentRootPath, dataFolder), TimeProvider.System);
        builder.Services.AddSingleton(holder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            https.ServerCertificateSelector = (_, serverName) => holder.Authority.ServerCertificate(serverName)));
        return builder;
    }

    /// <summary>Kestrel's own certificate configuration: the default certificate or any endpoint's.</summary>
    public static bool HasConfiguredCertificate(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Certificates:Default").GetChildren().Any()
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => e.GetSection("Certificate").GetChildren().Any());

    /// <summary>At start-up, with an https address and the local CA in use: where its certificate is and how to trust it
    /// (never its private key).</summary>
    public static void PrintTrust(WebApplication app)
    {
        if (app.Services.GetService<Holder>() is not { } holder) return;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var https = addresses.Where(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
        if (https.Count == 0) return;
        var ca = holder.Authority;
        var path = ca.CertificatePath;
        var port = new Uri(https[0].Replace("://[::]", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost")).Port;
        var demo = app.Services.GetRequiredService<Bootstrap>().Created?.DemoDomain;
        var hostBased = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostedUi.HostedUiOptions>>().Value.AuthDomain == "localhost";
        var lines = new List<string>
        {
            "HTTPS with a development certificate" + (ca.Created ? " (a local CA was just made for this machine)" : "") + ":",
            $"  Listening:             {string.Join("  ", addresses)}",
        };
        if (hostBased)
            lines.Add($"  Pool domains:          https://{{domain}}.localhost:{port}/login" + (demo is null ? "" : $"   (the demo pool's: https://{demo}.localhost:{port}/login?client_id=...)"));
        lines.AddRange(new[]
        {
            $"  Local CA certificate:  {path}   (its key beside it, readable only by you; it can only vouch for localhost names)",
            $"  Trust it in Node:      NODE_EXTRA_CA_CERTS={path}",
            $"  Chromium/Chrome:       certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n portal-dev-ca -i {path}",
            $"  Debian/Ubuntu:         sudo cp {path} /usr/local/share/ca-certificates/portal-dev-ca.crt && sudo update-ca-certificates",
            $"  macOS:                 sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain {path}",
            $"  Windows:               certutil -user -addstore Root {path}",
            $"  Or pin this run's server key in chromium: --ignore-certificate-errors-spki-list={ca.ServerKeySpkiSha256}",
            "",
        });
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
