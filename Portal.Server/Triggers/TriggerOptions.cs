namespace Portal.Server.Triggers;

/// <summary>The <c>Portal:Triggers</c> section.</summary>
public sealed class TriggerOptions
{
    /// <summary>How long one invocation may take before the step fails (Cognito waits 5 seconds).</summary>
    public double TimeoutSeconds { get; set; } = 5;
    /// <summary>How long invocation logs are kept.</summary>
    public int RetentionDays { get; set; } = 7;
    /// <summary>Inline JavaScript: the memory one run may allocate, in megabytes (Lambda's smallest size).</summary>
    public int MemoryLimitMegabytes { get; set; } = 128;
    /// <summary>Inline JavaScript: the statements one run may execute. A backstop only: high enough that on any machine
    /// the 5-second timeout stops an endless loop first, with Lambda's "Task timed out" message.</summary>
    public int MaxStatements { get; set; } = 2_000_000_000;
    /// <summary>Inline JavaScript: the call depth one run may reach.</summary>
    public int MaxRecursion { get; set; } = 512;
    /// <summary>Webhooks to plain http URLs (always allowed in Development).</summary>
    public bool AllowHttpWebhooks { get; set; }
    public LambdaTargetOptions Lambda { get; set; } = new();
}

/// <summary>The <c>Portal:Triggers:Lambda</c> section: where and as whom the Lambda Invoke API is called
/// (AWS itself by default; LocalStack or SAM local by Endpoint).</summary>
public sealed class LambdaTargetOptions
{
    /// <summary>e.g. http://localhost:4566; empty: https://lambda.{region}.amazonaws.com.</summary>
    public string? Endpoint { get; set; }
    /// <summary>The signing region; empty: the region in the function's ARN.</summary>
    public string? Region { get; set; }
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? SessionToken { get; set; }
}
