using Portal.Client.Contract;
using Portal.Server.Outbound;

namespace Portal.Server.Federation.Saml;

/// <summary>
/// Fetches a MetadataURL an operator gave: http(s) only, 1 MB and 10 seconds at most, and only to addresses the outbound
/// guard allows (<see cref="OutboundAddresses"/>: no private, loopback, link-local or metadata addresses unless configured).
/// </summary>
public sealed class SamlMetadataDownload(IHttpClientFactory clients)
{
    public const string ClientName = "saml-metadata";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<string> Fetch(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidParameterException("MetadataURL must be an http or https URL.", "providerDetails.MetadataURL");
        if (OutboundAddresses.Refused(uri.IdnHost) is { } hostProblem)
            throw new InvalidParameterException($"MetadataURL {url} is not allowed: {hostProblem}.", "providerDetails.MetadataURL");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName)
                .GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new InvalidParameterException($"MetadataURL {url} answered HTTP {(int)response.StatusCode}; the metadata could not be read.", "providerDetails.MetadataURL");
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
            throw new InvalidParameterException($"MetadataURL {url} did not answer within {Timeout.TotalSeconds:0} seconds.", "providerDetails.MetadataURL");
        }
        catch (HttpRequestException e)
        {
            throw new InvalidParameterException($"MetadataURL {url} could not be fetched: {OutboundAddresses.Reason(e)}", "providerDetails.MetadataURL");
        }
    }
}
