// Cognito API records, named and shaped as AWS names them; and one Portal-only extension (GetLogDeliveryStatus).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

public sealed record SetLogDeliveryConfigurationRequest : ICognitoRequest<SetLogDeliveryConfigurationResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [MaxLength(2)]
    public List<LogConfigurationType>? LogConfigurations { get; init; }
}

public sealed record SetLogDeliveryConfigurationResponse
{
    public LogDeliveryConfigurationType? LogDeliveryConfiguration { get; init; }
}

public sealed record GetLogDeliveryConfigurationRequest : ICognitoRequest<GetLogDeliveryConfigurationResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record GetLogDeliveryConfigurationResponse
{
    public LogDeliveryConfigurationType? LogDeliveryConfiguration { get; init; }
}

public sealed record LogDeliveryConfigurationType
{
    public string? UserPoolId { get; init; }
    public List<LogConfigurationType>? LogConfigurations { get; init; }
}

public sealed record LogConfigurationType
{
    /// <summary>ERROR (userNotification) or INFO (userAuthEvents).</summary>
    [Required]
    [AllowedValues("ERROR", "INFO")]
    public string? LogLevel { get; init; }
    /// <summary>userNotification or userAuthEvents.</summary>
    [Required]
    [AllowedValues("userNotification", "userAuthEvents")]
    public string? EventSource { get; init; }
    public CloudWatchLogsConfigurationType? CloudWatchLogsConfiguration { get; init; }
    public S3ConfigurationType? S3Configuration { get; init; }
    public FirehoseConfigurationType? FirehoseConfiguration { get; init; }
}

public sealed record CloudWatchLogsConfigurationType
{
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(LogDestinations.ArnPattern)]
    public string? LogGroupArn { get; init; }
}

public sealed record S3ConfigurationType
{
    [StringLength(1024, MinimumLength = 3)]
    [RegularExpression(LogDestinations.S3ArnPattern)]
    public string? BucketArn { get; init; }
}

public sealed record FirehoseConfigurationType
{
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(LogDestinations.ArnPattern)]
    public string? StreamArn { get; init; }
}

/// <summary>The destination kinds of log delivery and the model's ARN patterns.</summary>
public static class LogDestinations
{
    public const string ArnPattern = @"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?";
    public const string S3ArnPattern = @"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:::[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?";

    public const string CloudWatchLogs = "CloudWatchLogs";
    public const string S3 = "S3";
    public const string Firehose = "Firehose";

    /// <summary>The one destination of a configuration: its kind and ARN (null when it names none).</summary>
    public static (string Kind, string Arn)? Of(LogConfigurationType c) =>
        c.CloudWatchLogsConfiguration?.LogGroupArn is { } logs ? (CloudWatchLogs, logs)
        : c.S3Configuration?.BucketArn is { } bucket ? (S3, bucket)
        : c.FirehoseConfiguration?.StreamArn is { } stream ? (Firehose, stream)
        : null;
}

/// <summary>Portal-only extension (not an AWS operation): how a pool's log destinations are doing, for the portal's Log
/// delivery card. X-Amz-Target: PortalAdmin.GetLogDeliveryStatus.</summary>
[Service(PortalServices.Admin)]
public sealed record GetLogDeliveryStatusRequest : ICognitoRequest<GetLogDeliveryStatusResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record GetLogDeliveryStatusResponse
{
    public List<LogDestinationStatusType>? Destinations { get; init; }
    /// <summary>How long an undelivered record is kept before it is dropped (and counted).</summary>
    public double? RetentionHours { get; init; }
}

public sealed record LogDestinationStatusType
{
    public string? EventSource { get; init; }
    /// <summary>CloudWatchLogs, S3 or Firehose.</summary>
    public string? Kind { get; init; }
    public string? Arn { get; init; }
    /// <summary>Records waiting (new or to be retried).</summary>
    public int? Pending { get; init; }
    public long? Delivered { get; init; }
    /// <summary>Records dropped after the retention without being delivered.</summary>
    public long? Dropped { get; init; }
    public DateTimeOffset? LastDeliveredDate { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorDate { get; init; }
    /// <summary>Whether the last attempt failed (the destination is failing until a delivery succeeds).</summary>
    public bool? Failing { get; init; }
}
