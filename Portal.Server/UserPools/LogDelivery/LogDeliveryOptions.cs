namespace Portal.Server.UserPools.LogDelivery;

/// <summary>The <c>Portal:LogDelivery</c> section: where SetLogDeliveryConfiguration's destinations are reached and how the
/// outbox retries. Each service has its endpoint and credentials as Portal's other outbound AWS calls do (empty credentials:
/// the AWS_* environment variables; an empty endpoint: the service's AWS endpoint in the ARN's region).</summary>
public sealed class LogDeliveryOptions
{
    public const string Section = "Portal:LogDelivery";

    public AwsServiceOptions CloudWatchLogs { get; set; } = new();
    public AwsServiceOptions Firehose { get; set; } = new();
    public S3LogOptions S3 { get; set; } = new();

    /// <summary>How often the worker looks for records due (a committed operation that wrote records wakes it at once).</summary>
    public double PollSeconds { get; set; } = 1;
    /// <summary>The longest wait between two attempts (the wait doubles from one second up to this).</summary>
    public double MaxBackoffSeconds { get; set; } = 300;
    /// <summary>How long an undelivered record is kept; older ones are dropped and counted on their destination.</summary>
    public double RetentionHours { get; set; } = 24;
    /// <summary>Records sent to one destination in one request (CloudWatch Logs and Firehose take at most 500 and 10,000).</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>An AWS JSON API's endpoint (e.g. <c>http://localhost:4566</c>), signing region and credentials.</summary>
public sealed class AwsServiceOptions
{
    public string? Endpoint { get; set; }
    public string? Region { get; set; }
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? SessionToken { get; set; }
}

/// <summary>The S3 endpoint of S3 destinations (AWSSDK.S3): an S3-compatible server by ServiceUrl, path-style if it needs it.</summary>
public sealed class S3LogOptions
{
    public string? ServiceUrl { get; set; }
    public string? Region { get; set; }
    public bool ForcePathStyle { get; set; }
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? SessionToken { get; set; }
}
