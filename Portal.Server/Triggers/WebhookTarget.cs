using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Server.Triggers;

/// <summary>
/// An HTTPS endpoint as a trigger: the event JSON is POSTed and the answer JSON taken as the handler's return value.
/// The receiver checks <c>X-Portal-Signature: sha256=hex(HMAC-SHA256(secret, "{X-Portal-Timestamp}.{body}"))</c>
/// and may refuse stale timestamps, so a captured request cannot be replayed later.
/// </summary>
public sealed class WebhookTarget(IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "Portal.Triggers";
    public const string SignatureHeader = "X-Portal-Signature";
    public const string TimestampHeader = "X-Portal-Timestamp";

    public static string Signature(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    public async Task<TargetAnswer> Run(string url, string secret, string trigger, string body, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(SignatureHeader, Signature(secret, timestamp, body));
        request.Headers.TryAddWithoutValidation("X-Portal-Trigger", trigger);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new TriggerFunctionException($"The webhook could not be reached: {Portal.Server.Outbound.OutboundAddresses.Reason(e)}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new TriggerFunctionException(ErrorOf(text) ?? $"The webhook answered HTTP {(int)response.StatusCode}");
            return new TargetAnswer(string.IsNullOrWhiteSpace(text) ? "null" : text, null);
        }
    }

    /// <summary>An error body in Lambda's shape ({"errorMessage": ...}) or a plain {"message": ...}.</summary>
    internal static string? ErrorOf(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject o
                ? (o["errorMessage"] ?? o["message"] ?? o["error"])?.ToString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return string.IsNullOrWhiteSpace(text) || text.Length > 500 ? null : text.Trim();
        }
    }
}
