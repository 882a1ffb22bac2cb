namespace Portal.Server.Sync.Push;

/// <summary>The <c>Portal:Sync:Push</c> section: how push sync notifications leave Portal.</summary>
public sealed class PushOptions
{
    public const string Section = "Portal:Sync:Push";

    /// <summary>The VAPID <c>sub</c> claim push services may contact (a <c>mailto:</c> or <c>https:</c> URL).</summary>
    public string VapidSubject { get; set; } = "mailto:push-sync@portal.invalid";

    /// <summary>Attempts per notification before it is given up (the device's last error says why).</summary>
    public int MaxAttempts { get; set; } = 5;

    public SnsOptions Sns { get; set; } = new();
}

/// <summary>Where SNS's Query API is (AWS, or any SNS-compatible server) and the credentials that sign for it. Empty
/// credentials mean the usual AWS_* environment variables; an empty endpoint means <c>https://sns.{region}.amazonaws.com</c>
/// with the region of the pool's platform application ARN.</summary>
public sealed class SnsOptions
{
    public string? Endpoint { get; set; }
    public string? Region { get; set; }
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? SessionToken { get; set; }
}
