using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Client.Remote;

namespace Portal.Server.Sync.Streams;

/// <summary>The <c>Portal:Sync:Kinesis</c> section: where Cognito Streams records go (AWS Kinesis by default, or any
/// Kinesis-compatible server by Endpoint) and how the outbox retries.</summary>
public sealed class KinesisOptions
{
    /// <summary>e.g. http://localhost:4567; empty: https://kinesis.{region}.amazonaws.com.</summary>
    public string? Endpoint { get; set; }
    /// <summary>The signing region; empty: Portal:Region.</summary>
    public string? Region { get; set; }
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? SessionToken { get; set; }
    /// <summary>How often the publisher looks for records due.</summary>
    public double PollSeconds { get; set; } = 1;
    /// <summary>The longest wait between two attempts of a record (the wait doubles from one second up to this).</summary>
    public double MaxBackoffSeconds { get; set; } = 60;
    /// <summary>Attempts after which a bulk publish is FAILED (changes themselves are retried for ever).</summary>
    public int BulkPublishAttempts { get; set; } = 10;
    /// <summary>Datasets a bulk publish puts into the outbox at a time (the next batch once the last one is delivered).</summary>
    public int BulkPublishBatchSize { get; set; } = 100;
    /// <summary>How long the link of a change too large for one Kinesis record (payloadType S3Url) answers its records.</summary>
    public double LargeRecordLinkHours { get; set; } = 24;
}

/// <summary>An error of the Kinesis API as a whole (unreachable, throttled, no such stream).</summary>
public sealed class KinesisException(string message) : Exception(message);

/// <summary>One record's answer of PutRecords: its sequence number, or its error.</summary>
public sealed record PutResult(string? SequenceNumber, string? ErrorCode, string? ErrorMessage);

/// <summary>
/// The Kinesis JSON API (<c>X-Amz-Target: Kinesis_20131202.{Operation}</c>, AWS JSON 1.1), SigV4-signed for service
/// <c>kinesis</c> with Portal's own signer, as the pool's <c>CognitoStreams.RoleArn</c> (see <see cref="SyncRoles"/>). The
/// base credentials come from <c>Portal:Sync:Kinesis</c> or the AWS_* environment variables and are never logged.
/// </summary>
public sealed class KinesisClient(IHttpClientFactory http, IOptionsMonitor<KinesisOptions> options, IOptions<PortalOptions> portal, SyncRoles roles,
    TimeProvider clock)
{
    public const string HttpClientName = "Portal.Sync.Kinesis";

    /// <summary>PutRecords of up to 500 records as <paramref name="roleArn"/>; the answers in the records' order. A role
    /// Portal cannot act as is a <see cref="RoleNotAssumedException"/> (nothing was sent).</summary>
    public async Task<IReadOnlyList<PutResult>> PutRecords(string streamName, string? roleArn, IReadOnlyList<(string PartitionKey, byte[] Data)> records,
        CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["StreamName"] = streamName,
            ["Records"] = new JsonArray(records.Select(r => (JsonNode)new JsonObject
            {
                ["Data"] = Convert.ToBase64String(r.Data), ["PartitionKey"] = r.PartitionKey,
            }).ToArray()),
        };
        var answer = await Call("PutRecords", body, asRole: true, roleArn, ct);
        var results = answer["Records"] as JsonArray ?? throw new KinesisException("PutRecords answered without Records.");
        if (results.Count != records.Count) throw new KinesisException("PutRecords answered a different number of records.");
        return results.Select(r => new PutResult(r?["SequenceNumber"]?.GetValue<string>(), r?["ErrorCode"]?.GetValue<string>(),
            r?["ErrorMessage"]?.GetValue<string>())).ToList();
    }

    /// <summary>Calls an operation of the Kinesis API with the configured keys themselves (an operator's own call, not a
    /// delivery); an AWS error answer is a <see cref="KinesisException"/>.</summary>
    public Task<JsonObject> Call(string operation, JsonObject body, CancellationToken ct) => Call(operation, body, asRole: false, null, ct);

    async Task<JsonObject> Call(string operation, JsonObject body, bool asRole, string? roleArn, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var region = !string.IsNullOrEmpty(o.Region) ? o.Region : portal.Value.Region;
        var endpoint = (!string.IsNullOrEmpty(o.Endpoint) ? o.Endpoint : $"https://kinesis.{region}.amazonaws.com").TrimEnd('/');
        // Empty settings mean "not configured": the AWS_* environment applies, as for Lambda targets.
        var credentials = Portal.Server.Outbound.AwsCredentials.From(o.AccessKeyId, o.SecretAccessKey, o.SessionToken)
            ?? throw new KinesisException("No AWS credentials are configured for Cognito Streams (Portal:Sync:Kinesis:AccessKeyId and SecretAccessKey).");
        if (asRole) credentials = await roles.For(roleArn, credentials, region, "CognitoStreams.RoleArn", ct);

        try
        {
            return await Portal.Server.Outbound.AwsJson.Call(http.CreateClient(HttpClientName), endpoint, "Kinesis_20131202." + operation, body,
                credentials, region, "kinesis", clock.GetUtcNow(), ct, "Kinesis");
        }
        catch (Portal.Server.Outbound.AwsJsonException e)
        {
            throw new KinesisException(e.Message);
        }
    }
}
