using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Portal.Server.Outbound;

namespace Portal.Server.Sts;

public enum StsMode
{
    /// <summary>Portal mints the credentials itself (no cloud account).</summary>
    Embedded,
    /// <summary>Portal calls a real STS (<see cref="ExternalStsOptions.Endpoint"/>) with its own OpenID token.</summary>
    External,
}

/// <summary><c>Portal:IdentityPools:Sts</c>: where identity pools' credentials come from.</summary>
public sealed class ExternalStsOptions
{
    public const string Section = "Portal:IdentityPools:Sts";

    public StsMode Mode { get; set; } = StsMode.Embedded;

    /// <summary>The STS endpoint in External mode; <c>https://sts.{Region}.amazonaws.com</c> when empty.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The region of the default endpoint; Portal's region when empty.</summary>
    public string? Region { get; set; }
}

/// <summary>An error answer of the external STS (its Query-protocol error code and message).</summary>
public sealed class ExternalStsException(string code, string message, int status) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
}

/// <summary>The external STS could not be reached or answered a server fault.</summary>
public sealed class ExternalStsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A client of a real STS's <c>AssumeRoleWithWebIdentity</c> over the Query protocol: unsigned, as AWS serves that call
/// (the web identity token is the credential), through the outbound guard.
/// </summary>
public sealed class ExternalSts(IHttpClientFactory httpClients, IOptions<ExternalStsOptions> options, IOptions<PortalOptions> portal)
{
    public const string HttpClientName = "Portal.Sts.External";
    public Uri Endpoint => new(options.Value.Endpoint is { Length: > 0 } e
        ? e
        : $"https://sts.{(options.Value.Region is { Length: > 0 } r ? r : portal.Value.Region)}.amazonaws.com/");

    public async Task<TemporaryCredentials> AssumeRoleWithWebIdentity(string roleArn, string sessionName, string webIdentityToken,
        string? policy, TimeSpan duration, CancellationToken ct)
    {
        var form = new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = roleArn,
            ["RoleSessionName"] = sessionName,
            ["WebIdentityToken"] = webIdentityToken,
            ["DurationSeconds"] = ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        if (policy is not null) form["Policy"] = policy;

        using var client = httpClients.CreateClient(HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(15);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new FormUrlEncodedContent(form) };
        return await StsAnswers.Credentials(client, request, ct);
    }
}

/// <summary>STS's Query-protocol answers as Portal's STS clients read them (<c>AssumeRoleWithWebIdentity</c> for identity
/// pools, <c>AssumeRole</c> for Cognito Sync's roles): the <c>Credentials</c> of a success, an
/// <see cref="ExternalStsException"/> for STS's refusal, an <see cref="ExternalStsUnavailableException"/> when STS could
/// not be reached or answered a fault.</summary>
public static class StsAnswers
{
    static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static async Task<TemporaryCredentials> Credentials(HttpClient client, HttpRequestMessage request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var host = request.RequestUri!.Host;
        string body;
        int status;
        try
        {
            using var response = await client.SendAsync(request, ct);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ExternalStsUnavailableException($"STS at {host} could not be reached ({OutboundAddresses.Reason(e)}).", e);
        }

        XDocument xml;
        try
        {
            xml = XDocument.Parse(body);
        }
        catch (System.Xml.XmlException)
        {
            throw new ExternalStsUnavailableException($"STS at {host} answered HTTP {status} with a body that is not XML.");
        }
        if (status is >= 200 and < 300)
        {
            var c = xml.Descendants(Ns + "Credentials").FirstOrDefault()
                    ?? throw new ExternalStsUnavailableException($"STS at {host} answered without credentials.");
            string Field(string name) => c.Element(Ns + name)?.Value
                                         ?? throw new ExternalStsUnavailableException($"STS at {host} answered credentials without {name}.");
            return new TemporaryCredentials(Field("AccessKeyId"), Field("SecretAccessKey"), Field("SessionToken"),
                DateTimeOffset.Parse(Field("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        }
        // <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>…</Message></Error></ErrorResponse>
        var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
        var message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
        if (status >= 500 || code is null or "Throttling" or "ServiceUnavailable" or "InternalFailure" or "IDPCommunicationError")
            throw new ExternalStsUnavailableException($"STS at {host} answered HTTP {status} {code}: {message}");
        throw new ExternalStsException(code, message, status);
    }
}
