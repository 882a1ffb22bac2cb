using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Portal.Server.Outbound;

/// <summary>The <c>Portal:Outbound</c> settings: where Portal may connect to for URLs an administrator configured
/// (SAML metadata, OIDC discovery/JWKS/token/userInfo, webhooks, the Lambda endpoint, the S3 assets endpoint).</summary>
public sealed class OutboundOptions
{
    /// <summary>Development and tests only: allow private, loopback and link-local addresses
    /// (<c>Portal:Federation:AllowLoopbackMetadata</c> is kept as an alias).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Addresses allowed although private: <c>10.0.0.5</c>, <c>10.0.0.5:8443</c> (that port only), <c>10.1.0.0/16</c>.
    /// The cloud metadata services stay refused.</summary>
    public List<string> AllowedAddresses { get; set; } = [];
}

/// <summary>
/// The one SSRF guard of outbound calls: the address a connection is made to is checked after DNS resolution, in the
/// connect step itself, so DNS rebinding and redirects (each redirect opens its own connection) cannot slip through.
/// </summary>
public sealed class OutboundAddresses(IOptionsMonitor<OutboundOptions> options)
{
    static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Why a host name is refused before resolving it, or null.</summary>
    public static string? Refused(string host) =>
        host.TrimEnd('.').Equals("metadata.google.internal", StringComparison.OrdinalIgnoreCase) ? "a cloud metadata service" : null;

    /// <summary>Why connecting to this address and port is refused, or null.</summary>
    public string? Refused(IPAddress address, int port)
    {
        var problem = Classify(address);
        if (problem is null) return null;
        if (IsMetadataService(address)) return problem;
        var current = options.CurrentValue;
        if (current.AllowPrivateNetworks) return null;
        return current.AllowedAddresses.Any(a => Matches(a, address, port)) ? null : problem;
    }

    /// <summary>What kind of non-public address this is, or null for a public one.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IsMetadataService(address)) return "a link-local address of the cloud metadata service";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return "the unspecified address";
        if (IPAddress.IsLoopback(address)) return "a loopback address";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            if (b[0] == 169 && b[1] == 254) return "a link-local address";
            if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)) return "a private address";
            if (b[0] == 100 && (b[1] & 0xC0) == 64) return "a shared (carrier-grade NAT) address";
            if (b[0] == 0 || b[0] >= 224) return "a reserved address";
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "a link-local address";
            if ((address.GetAddressBytes()[0] & 0xFE) == 0xFC) return "a private address";
            if (address.IsIPv6Multicast) return "a reserved address";
        }
        return null;
    }

    static bool IsMetadataService(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return address.Equals(AwsMetadataV6) || address.ToString() is "169.254.169.254" or "169.254.170.2" or "100.100.100.200";
    }

    static bool Matches(string allowed, IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPNetwork.TryParse(allowed, out var network) && allowed.Contains('/')) return network.Contains(address);
        return IPEndPoint.TryParse(allowed, out var endPoint)
               && endPoint.Address.Equals(address) && (endPoint.Port == 0 || endPoint.Port == port);
    }

    /// <summary>A primary handler whose every connection is checked first; redirects at most 3, each checked again.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxResponseDrainSize = 64 * 1024,
        ConnectCallback = Connect,
    };

    /// <summary>Resolves the host, refuses when any of its addresses is not allowed, and connects to those addresses only.</summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        if (Refused(host) is { } hostProblem) throw new RefusedAddressException($"{host} is {hostProblem}: address not allowed");
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        foreach (var address in addresses)
            if (Refused(address, port) is { } problem)
                throw new RefusedAddressException($"{host} resolves to {address}, {problem}: address not allowed");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The reason of a refused connection inside an <see cref="HttpRequestException"/>, or the exception's message.</summary>
    public static string Reason(Exception e) => Refusal(e) ?? e.Message;

    /// <summary>Why the guard refused the connection behind this exception, or null when it did not.</summary>
    public static string? Refusal(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is RefusedAddressException refused) return refused.Message;
        return null;
    }
}

/// <summary>A connection refused by <see cref="OutboundAddresses"/>.</summary>
public sealed class RefusedAddressException(string message) : IOException(message);

public static class OutboundSetup
{
    /// <summary>Registers the guard (<c>Portal:Outbound</c>, with <c>Portal:Federation:AllowLoopbackMetadata</c> as an alias).</summary>
    public static IServiceCollection AddOutboundGuard(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<OutboundOptions>(portal.GetSection("Outbound"));
        services.PostConfigure<OutboundOptions>(o =>
        {
            if (portal.GetValue<bool>("Federation:AllowLoopbackMetadata")) o.AllowPrivateNetworks = true;
        });
        services.AddSingleton<OutboundAddresses>();
        return services;
    }

    /// <summary>Every connection of this named client goes through the guard.</summary>
    public static IHttpClientBuilder GuardOutbound(this IHttpClientBuilder client) =>
        client.ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundAddresses>().Handler());
}
