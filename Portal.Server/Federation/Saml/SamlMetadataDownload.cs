using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;

namespace Portal.Server.Federation.Saml;

/// <summary>The <c>Portal:Federation</c> settings SAML reads.</summary>
public sealed class SamlOptions
{
    /// <summary>Development and tests only: let MetadataURL point at a loopback address (a local test IdP).</summary>
    public bool AllowLoopbackMetadata { get; set; }
}

/// <summary>
/// Fetches a MetadataURL an operator gave: http(s) only, 1 MB and 10 seconds at most, and never to the cloud metadata
/// service or other link-local addresses (nor loopback unless configured). The address is checked when the connection is
/// made, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
/// </summary>
public sealed class SamlMetadataDownload(IHttpClientFactory clients)
{
    public const string ClientName = "saml-metadata";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<string> Fetch(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidParameterException("MetadataURL must be an http or https URL.");
        if (Refused(uri.IdnHost) is { } hostProblem)
            throw new InvalidParameterException($"MetadataURL {url} is not allowed: {hostProblem}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName)
                .GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new InvalidParameterException($"MetadataURL {url} answered HTTP {(int)response.StatusCode}; the metadata could not be read.");
            if (response.Content.Headers.ContentLength > SamlMetadata.MaxLength)
                throw new InvalidParameterException($"The metadata at {url} is larger than 1 MB.");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > SamlMetadata.MaxLength) throw new InvalidParameterException($"The metadata at {url} is larger than 1 MB.");
            }
            return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidParameterException($"MetadataURL {url} did not answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException e)
        {
            throw new InvalidParameterException($"MetadataURL {url} could not be fetched: {(e.InnerException as RefusedAddressException)?.Message ?? e.Message}");
        }
    }

    /// <summary>Why a host name is refused before resolving it, or null.</summary>
    public static string? Refused(string host) =>
        host.TrimEnd('.').Equals("metadata.google.internal", StringComparison.OrdinalIgnoreCase) ? "it is a cloud metadata service" : null;

    /// <summary>Why an address is refused, or null: link-local (169.254.0.0/16, fe80::/10, the cloud metadata services
    /// 169.254.169.254 and fd00:ec2::254), unspecified, and loopback unless allowed.</summary>
    public static string? Refused(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return "the unspecified address";
        if (IPAddress.IsLoopback(address)) return allowLoopback ? null : "a loopback address";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            if (b[0] == 169 && b[1] == 254) return "a link-local address (cloud metadata service)";
            if (b[0] == 0) return "a reserved address";
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv6LinkLocal) return "a link-local address";
            if (address.Equals(IPAddress.Parse("fd00:ec2::254"))) return "the cloud metadata service";
        }
        return null;
    }

    /// <summary>The primary handler of the named client: every connection's address is checked first.</summary>
    public static SocketsHttpHandler Handler(IOptions<SamlOptions> options) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        ConnectTimeout = Timeout,
        MaxResponseDrainSize = 64 * 1024,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            if (Refused(host) is { } hostProblem) throw new RefusedAddressException($"{host} is {hostProblem}");
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowLoopback = options.Value.AllowLoopbackMetadata;
            foreach (var address in addresses)
                if (Refused(address, allowLoopback) is { } problem)
                    throw new RefusedAddressException($"{host} resolves to {address}, {problem}");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public sealed class RefusedAddressException(string message) : IOException(message);
}
