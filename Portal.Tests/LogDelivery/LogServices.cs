using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portal.Tests.Branding;
using Portal.Tests.Infrastructure;
using Portal.Tests.Sync;

namespace Portal.Tests.LogDelivery;

/// <summary>
/// The far ends of log delivery on a real Kestrel port: CloudWatch Logs (<c>Logs_20140328.CreateLogStream</c>,
/// <c>PutLogEvents</c>) and Firehose (<c>Firehose_20150804.PutRecordBatch</c>) over AWS JSON 1.1, each refusing any request
/// whose SigV4 signature (service <c>logs</c> / <c>firehose</c>) it cannot reproduce from the secret it was given, and
/// recording what it received. A log group or stream named in <see cref="Broken"/> answers a server error, as an
/// unreachable destination would.
/// </summary>
public sealed class LogServices : IAsyncDisposable
{
    public const string AccessKey = "AKIALOGDELIVERYTEST1";
    public const string Secret = "log/delivery/secret/for/tests/000000000";

    readonly WebApplication app;
    readonly ConcurrentDictionary<string, bool> streams = new();

    public int Port { get; } = PortalServer.FreePort();
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>One log event or Firehose record that arrived: where it went and its JSON.</summary>
    public sealed record Arrival(string Service, string Group, string Stream, JsonElement Record);

    public PushServices.Inbox<Arrival> Received { get; } = new();
    /// <summary>Requests refused for a bad signature (none expected).</summary>
    public PushServices.Inbox<string> Refused { get; } = new();
    /// <summary>Every operation called, in order ("logs CreateLogStream", "firehose PutRecordBatch").</summary>
    public PushServices.Inbox<string> Calls { get; } = new();
    /// <summary>Log groups and Firehose streams that answer 500 ServiceUnavailableException.</summary>
    public ConcurrentDictionary<string, bool> Broken { get; } = new();

    public LogServices()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        app = builder.Build();
        app.MapPost("/", (Func<HttpContext, Task<IResult>>)Receive);
        app.StartAsync().GetAwaiter().GetResult();
    }

    async Task<IResult> Receive(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var service = target.StartsWith("Logs_20140328.", StringComparison.Ordinal) ? "logs"
            : target.StartsWith("Firehose_20150804.", StringComparison.Ordinal) ? "firehose" : null;
        if (service is null) return Error(400, "UnknownOperationException", target);
        if (http.Request.ContentType != "application/x-amz-json-1.1") return Error(400, "SerializationException", "content type " + http.Request.ContentType);
        if (!SigV4Check.Matches(http.Request, body, AccessKey, Secret, service, out var why))
        {
            Refused.Add($"{target}: {why}");
            return Error(403, "InvalidSignatureException", why);
        }
        var json = JsonNode.Parse(body)!.AsObject();
        var operation = target.Split('.')[1];
        Calls.Add($"{service} {operation}");
        switch (operation)
        {
            case "CreateLogStream":
            {
                var group = json["logGroupName"]!.GetValue<string>();
                if (Broken.ContainsKey(group)) return Error(500, "ServiceUnavailableException", "The service is unavailable.");
                var key = group + "/" + json["logStreamName"]!.GetValue<string>();
                return streams.TryAdd(key, true) ? Results.Json(new { }) : Error(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
            }
            case "PutLogEvents":
            {
                var group = json["logGroupName"]!.GetValue<string>();
                var stream = json["logStreamName"]!.GetValue<string>();
                if (Broken.ContainsKey(group)) return Error(500, "ServiceUnavailableException", "The service is unavailable.");
                if (!streams.ContainsKey(group + "/" + stream)) return Error(400, "ResourceNotFoundException", "The specified log stream does not exist.");
                var events = json["logEvents"]!.AsArray();
                var times = events.Select(e => e!["timestamp"]!.GetValue<long>()).ToList();
                if (!times.SequenceEqual(times.Order())) return Error(400, "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.");
                foreach (var e in events)
                    Received.Add(new Arrival("logs", group, stream, JsonDocument.Parse(e!["message"]!.GetValue<string>()).RootElement.Clone()));
                return Results.Json(new { nextSequenceToken = Guid.NewGuid().ToString("N") });
            }
            case "PutRecordBatch":
            {
                var stream = json["DeliveryStreamName"]!.GetValue<string>();
                if (Broken.ContainsKey(stream)) return Error(500, "ServiceUnavailableException", "The service is unavailable.");
                var responses = new JsonArray();
                foreach (var r in json["Records"]!.AsArray())
                {
                    var data = Encoding.UTF8.GetString(Convert.FromBase64String(r!["Data"]!.GetValue<string>()));
                    if (!data.EndsWith('\n')) return Error(400, "InvalidArgumentException", "records are newline-delimited");
                    Received.Add(new Arrival("firehose", "", stream, JsonDocument.Parse(data).RootElement.Clone()));
                    responses.Add(new JsonObject { ["RecordId"] = Guid.NewGuid().ToString("N") });
                }
                return Results.Json(new JsonObject { ["FailedPutCount"] = 0, ["Encrypted"] = false, ["RequestResponses"] = responses });
            }
            default:
                return Error(400, "UnknownOperationException", target);
        }
    }

    static IResult Error(int status, string type, string message) =>
        Results.Json(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }, statusCode: status, contentType: "application/x-amz-json-1.1");

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>A Portal whose log destinations are <see cref="LogServices"/> (CloudWatch Logs, Firehose) and a real s3rver
/// (S3), whose mail server does not answer (so a message fails, which userNotification logs), and whose outbox is polled
/// often.</summary>
public sealed class LogDeliveryServer : PortalServer
{
    public LogServices Logs { get; } = new();
    public S3rver S3 { get; } = new();

    public LogDeliveryServer() : base(started: false) => Start();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:LogDelivery:CloudWatchLogs:Endpoint"] = Logs.Url,
        ["Portal:LogDelivery:CloudWatchLogs:AccessKeyId"] = LogServices.AccessKey,
        ["Portal:LogDelivery:CloudWatchLogs:SecretAccessKey"] = LogServices.Secret,
        ["Portal:LogDelivery:Firehose:Endpoint"] = Logs.Url,
        ["Portal:LogDelivery:Firehose:AccessKeyId"] = LogServices.AccessKey,
        ["Portal:LogDelivery:Firehose:SecretAccessKey"] = LogServices.Secret,
        ["Portal:LogDelivery:S3:ServiceUrl"] = S3.ServiceUrl,
        ["Portal:LogDelivery:S3:ForcePathStyle"] = "true",
        ["Portal:LogDelivery:S3:AccessKeyId"] = S3rver.AccessKeyId,
        ["Portal:LogDelivery:S3:SecretAccessKey"] = S3rver.SecretAccessKey,
        ["Portal:LogDelivery:PollSeconds"] = "0.1",
        ["Portal:LogDelivery:MaxBackoffSeconds"] = "1",
        ["Portal:Smtp:Host"] = "127.0.0.1",
        ["Portal:Smtp:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Logs.DisposeAsync().AsTask().GetAwaiter().GetResult();
        S3.Dispose();
    }
}
