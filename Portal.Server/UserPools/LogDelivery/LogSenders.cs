using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Outbound;

namespace Portal.Server.UserPools.LogDelivery;

/// <summary>A destination that could not take a batch at all (unreachable, refused, misconfigured).</summary>
public sealed class LogDeliveryException(string message) : Exception(message);

/// <summary>One kind of destination: sends a batch of one pool's records; answers the indexes of records it refused one by
/// one (empty: all delivered), or throws <see cref="LogDeliveryException"/> when the batch failed as a whole.</summary>
public interface ILogSender
{
    string Kind { get; }
    Task<IReadOnlySet<int>> Send(string poolId, string eventSource, string arn, IReadOnlyList<LogOutboxRow> rows, CancellationToken ct);
}

/// <summary>ARN parts as the destinations need them.</summary>
static class LogArns
{
    /// <summary>The region of an ARN (its fourth part), or the fallback.</summary>
    public static string Region(string arn, string? configured, string fallback)
    {
        if (!string.IsNullOrEmpty(configured)) return configured;
        var parts = arn.Split(':');
        return parts.Length > 3 && parts[3].Length > 0 ? parts[3] : fallback;
    }

    /// <summary>The resource after <c>{type}</c> in <c>arn:…:{type}NAME</c> (a log group's trailing <c>:*</c> dropped).</summary>
    public static string Name(string arn, string type)
    {
        var at = arn.IndexOf(type, StringComparison.Ordinal);
        var name = at < 0 ? arn.Split(':')[^1] : arn[(at + type.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    public static AwsCredentials Credentials(string? access, string? secret, string? token, string setting) =>
        AwsCredentials.From(access, secret, token) ?? throw new LogDeliveryException($"No AWS credentials are configured for {setting} (AccessKeyId and SecretAccessKey).");
}

/// <summary>CloudWatch Logs (<c>Logs_20140328</c>, SigV4 service <c>logs</c>): the pool's stream in the ARN's log group is
/// made once (CreateLogStream, an existing one is fine), then PutLogEvents with the records in time order.</summary>
public sealed class CloudWatchLogsSender(IHttpClientFactory http, IOptionsMonitor<LogDeliveryOptions> options, IOptions<PortalOptions> portal, TimeProvider clock)
    : ILogSender
{
    public const string HttpClientName = "Portal.LogDelivery";
    readonly ConcurrentDictionary<string, bool> streams = new(StringComparer.Ordinal);

    public string Kind => LogDestinations.CloudWatchLogs;

    /// <summary>The log stream Portal writes a pool's records of one source to.</summary>
    public static string StreamName(string poolId, string eventSource) => $"{poolId}-{eventSource}";

    public async Task<IReadOnlySet<int>> Send(string poolId, string eventSource, string arn, IReadOnlyList<LogOutboxRow> rows, CancellationToken ct)
    {
        var o = options.CurrentValue.CloudWatchLogs;
        var region = LogArns.Region(arn, o.Region, portal.Value.Region);
        var endpoint = !string.IsNullOrEmpty(o.Endpoint) ? o.Endpoint : $"https://logs.{region}.amazonaws.com";
        var credentials = LogArns.Credentials(o.AccessKeyId, o.SecretAccessKey, o.SessionToken, "Portal:LogDelivery:CloudWatchLogs");
        var group = LogArns.Name(arn, ":log-group:");
        var stream = StreamName(poolId, eventSource);
        var client = http.CreateClient(HttpClientName);
        Task<JsonObject> Call(string operation, JsonObject body) =>
            AwsJson.Call(client, endpoint, "Logs_20140328." + operation, body, credentials, region, "logs", clock.GetUtcNow(), ct, "CloudWatch Logs");
        var key = endpoint + "\n" + group + "\n" + stream;
        try
        {
            if (!streams.ContainsKey(key))
            {
                try
                {
                    await Call("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream });
                }
                catch (AwsJsonException e) when (e.Type == "ResourceAlreadyExistsException")
                {
                }
                streams[key] = true;
            }
            await Call("PutLogEvents", new JsonObject
            {
                ["logGroupName"] = group,
                ["logStreamName"] = stream,
                ["logEvents"] = new JsonArray(rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => (JsonNode)new JsonObject
                {
                    ["timestamp"] = r.CreatedAt.ToUnixTimeMilliseconds(), ["message"] = r.Record,
                }).ToArray()),
            });
            return new HashSet<int>();
        }
        catch (AwsJsonException e)
        {
            // A stream deleted meanwhile is made again on the next attempt.
            if (e.Type == "ResourceNotFoundException") streams.TryRemove(key, out _);
            throw new LogDeliveryException(e.Message);
        }
    }
}

/// <summary>Amazon Data Firehose (<c>Firehose_20150804.PutRecordBatch</c>, SigV4 service <c>firehose</c>): one record per
/// log record, newline-terminated JSON; a record Firehose refuses (its ErrorCode) is retried on its own.</summary>
public sealed class FirehoseSender(IHttpClientFactory http, IOptionsMonitor<LogDeliveryOptions> options, IOptions<PortalOptions> portal, TimeProvider clock)
    : ILogSender
{
    public string Kind => LogDestinations.Firehose;

    public async Task<IReadOnlySet<int>> Send(string poolId, string eventSource, string arn, IReadOnlyList<LogOutboxRow> rows, CancellationToken ct)
    {
        var o = options.CurrentValue.Firehose;
        var region = LogArns.Region(arn, o.Region, portal.Value.Region);
        var endpoint = !string.IsNullOrEmpty(o.Endpoint) ? o.Endpoint : $"https://firehose.{region}.amazonaws.com";
        var credentials = LogArns.Credentials(o.AccessKeyId, o.SecretAccessKey, o.SessionToken, "Portal:LogDelivery:Firehose");
        JsonObject answer;
        try
        {
            answer = await AwsJson.Call(http.CreateClient(CloudWatchLogsSender.HttpClientName), endpoint, "Firehose_20150804.PutRecordBatch", new JsonObject
            {
                ["DeliveryStreamName"] = LogArns.Name(arn, ":deliverystream/"),
                ["Records"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["Data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Record + "\n")),
                }).ToArray()),
            }, credentials, region, "firehose", clock.GetUtcNow(), ct, "Firehose");
        }
        catch (AwsJsonException e)
        {
            throw new LogDeliveryException(e.Message);
        }
        var failed = new HashSet<int>();
        if (answer["RequestResponses"] is JsonArray responses)
            for (var i = 0; i < responses.Count && i < rows.Count; i++)
                if (responses[i]?["ErrorCode"] is { } code && code.ToString().Length > 0) failed.Add(i);
        return failed;
    }
}

/// <summary>Amazon S3 through AWSSDK.S3: one object per batch, newline-delimited JSON, under a Cognito-like key
/// (<see cref="ObjectKey"/>) in the bucket of the ARN (a path after the bucket name is a key prefix).</summary>
public sealed class S3Sender(IOptionsMonitor<LogDeliveryOptions> options, IOptions<PortalOptions> portal, OutboundAddresses outbound, TimeProvider clock)
    : ILogSender, IDisposable
{
    readonly ConcurrentDictionary<string, AmazonS3Client> clients = new(StringComparer.Ordinal);

    public string Kind => LogDestinations.S3;

    /// <summary><c>{prefix/}AWSLogs/{account}/cognito-idp/{region}/{poolId}/{eventSource}/yyyy/MM/dd/HH/{poolId}_{eventSource}_{yyyyMMddTHHmmssZ}_{random}.log</c>.</summary>
    public static string ObjectKey(string prefix, string account, string region, string poolId, string eventSource, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var folder = utc.ToString("yyyy/MM/dd/HH", CultureInfo.InvariantCulture);
        var stamp = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var key = $"AWSLogs/{account}/cognito-idp/{region}/{poolId}/{eventSource}/{folder}/{poolId}_{eventSource}_{stamp}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.log";
        return prefix.Length == 0 ? key : prefix.TrimEnd('/') + "/" + key;
    }

    public async Task<IReadOnlySet<int>> Send(string poolId, string eventSource, string arn, IReadOnlyList<LogOutboxRow> rows, CancellationToken ct)
    {
        var resource = arn.Split(":::", 2) is [_, var r] ? r : throw new LogDeliveryException($"{arn} is not an S3 bucket ARN.");
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var (bucket, prefix) = slash < 0 ? (resource, "") : (resource[..slash], resource[(slash + 1)..]);
        var body = string.Concat(rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => r.Record + "\n"));
        var key = ObjectKey(prefix, portal.Value.AccountId, portal.Value.Region, poolId, eventSource, clock.GetUtcNow());
        try
        {
            await Client().PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = key, ContentBody = body, ContentType = "application/x-ndjson",
                // S3-compatible servers do not all read aws-chunked bodies.
                UseChunkEncoding = false,
            }, ct);
            return new HashSet<int>();
        }
        catch (AmazonServiceException e)
        {
            var reason = OutboundAddresses.Refusal(e) ?? (e.ErrorCode is { Length: > 0 } code ? $"{code}: {e.Message}" : e.Message);
            throw new LogDeliveryException($"S3 PutObject to {bucket} failed: {reason}");
        }
        catch (HttpRequestException e)
        {
            throw new LogDeliveryException($"S3 could not be reached: {OutboundAddresses.Reason(e)}");
        }
    }

    AmazonS3Client Client()
    {
        var o = options.CurrentValue.S3;
        var settings = $"{o.ServiceUrl}\n{o.Region}\n{o.ForcePathStyle}\n{o.AccessKeyId}";
        return clients.GetOrAdd(settings, _ =>
        {
            var config = new AmazonS3Config
            {
                ForcePathStyle = o.ForcePathStyle,
                AuthenticationRegion = string.IsNullOrEmpty(o.Region) ? portal.Value.Region : o.Region,
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
                HttpClientFactory = new GuardedHttpClients(outbound),
                MaxErrorRetry = 1,
            };
            if (string.IsNullOrWhiteSpace(o.ServiceUrl)) config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(config.AuthenticationRegion);
            else config.ServiceURL = o.ServiceUrl;
            var credentials = LogArns.Credentials(o.AccessKeyId, o.SecretAccessKey, o.SessionToken, "Portal:LogDelivery:S3");
            return new AmazonS3Client(credentials.SessionToken is { } token
                ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
                : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey), config);
        });
    }

    public void Dispose()
    {
        foreach (var client in clients.Values) client.Dispose();
    }
}
