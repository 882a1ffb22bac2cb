using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Portal.Client.Remote;

namespace Portal.Server.Sync.Push;

/// <summary>An SNS error answer (its <c>Code</c>), or SNS not reachable (<see cref="Code"/> null).</summary>
public sealed class SnsException(string? code, string message) : Exception(message)
{
    public string? Code { get; } = code;
    /// <summary>Retrying will not help: the endpoint is gone or disabled, or the request is wrong.</summary>
    public bool Permanent => Code is "EndpointDisabled" or "InvalidParameter" or "NotFound" or "PlatformApplicationDisabled";
}

/// <summary>
/// SNS's Query API as push sync needs it, the calls Cognito makes on the pool's behalf: <c>CreatePlatformEndpoint</c>
/// under the pool's platform application at RegisterDevice, <c>Publish</c> with a <c>TargetArn</c> when a dataset changes.
/// Form-encoded POSTs to <see cref="SnsOptions.Endpoint"/>, signed with SigV4 for service <c>sns</c> as the pool's
/// <c>PushSync.RoleArn</c> (see <see cref="SyncRoles"/>); a role Portal cannot act as is a <see cref="RoleNotAssumedException"/>.
/// </summary>
public sealed class SnsClient(IHttpClientFactory http, IOptions<PushOptions> options, SyncRoles roles, TimeProvider clock)
{
    public const string HttpClientName = "Portal.SyncPush";
    const string Xmlns = "http://sns.amazonaws.com/doc/2010-03-31/";

    public async Task<string> CreatePlatformEndpoint(string applicationArn, string token, string? roleArn, CancellationToken ct)
    {
        var answer = await Call(applicationArn, roleArn, [new("Action", "CreatePlatformEndpoint"), new("PlatformApplicationArn", applicationArn), new("Token", token)], ct);
        return answer.Descendants(XName.Get("EndpointArn", Xmlns)).FirstOrDefault()?.Value
               ?? answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "EndpointArn")?.Value
               ?? throw new SnsException(null, "SNS answered CreatePlatformEndpoint without an EndpointArn.");
    }

    /// <summary>Publishes a JSON message structure (one message per platform) to a platform endpoint; answers the MessageId.</summary>
    public async Task<string?> Publish(string targetArn, string messageJson, string? roleArn, CancellationToken ct)
    {
        var answer = await Call(targetArn, roleArn, [new("Action", "Publish"), new("TargetArn", targetArn), new("Message", messageJson), new("MessageStructure", "json")], ct);
        return answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "MessageId")?.Value;
    }

    async Task<XDocument> Call(string arn, string? roleArn, List<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var o = options.Value.Sns;
        var parts = arn.Split(':');
        var region = !string.IsNullOrEmpty(o.Region) ? o.Region : parts.Length > 3 && parts[3].Length > 0 ? parts[3] : "us-east-1";
        var endpoint = (!string.IsNullOrEmpty(o.Endpoint) ? o.Endpoint : $"https://sns.{region}.amazonaws.com").TrimEnd('/');
        // Empty settings mean "not configured": the AWS_* environment applies, as for Lambda targets.
        var credentials = Portal.Server.Outbound.AwsCredentials.From(o.AccessKeyId, o.SecretAccessKey, o.SessionToken)
            ?? throw new SnsException(null, "No AWS credentials are configured for SNS (Portal:Sync:Push:Sns:AccessKeyId and SecretAccessKey).");
        credentials = await roles.For(roleArn, credentials, region, "PushSync.RoleArn", ct);

        form.Add(new("Version", "2010-03-31"));
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
        using var request = Portal.Server.Outbound.AwsCalls.SignedPost(new Uri(endpoint), body, "application/x-www-form-urlencoded; charset=utf-8",
            credentials, region, "sns", clock.GetUtcNow());

        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new SnsException(null, $"SNS could not be reached: {Portal.Server.Outbound.OutboundAddresses.Reason(e)}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            XDocument xml;
            try
            {
                xml = XDocument.Parse(text);
            }
            catch (System.Xml.XmlException)
            {
                throw new SnsException(null, $"SNS answered HTTP {(int)response.StatusCode} without XML.");
            }
            if (response.IsSuccessStatusCode) return xml;
            var code = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var message = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            throw new SnsException(code, $"SNS answered {code ?? "HTTP " + (int)response.StatusCode}: {message}");
        }
    }
}
