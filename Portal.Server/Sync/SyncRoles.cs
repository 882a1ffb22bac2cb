using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Portal.Server.Outbound;
using Portal.Server.Sts;

namespace Portal.Server.Sync;

/// <summary>The <c>Portal:Sync</c> settings of how Cognito Sync's deliveries sign: as the pool's roles (push sync's
/// <c>PushSync.RoleArn</c>, Cognito Streams' <c>CognitoStreams.RoleArn</c>), as Cognito does, or with the configured keys.</summary>
public sealed class SyncRoleOptions
{
    public const string Section = "Portal:Sync";

    /// <summary>True: SNS and Kinesis calls are signed with the credentials of the pool's role, from STS <c>AssumeRole</c>
    /// with the configured keys. False: signed with the configured keys themselves (SNS/Kinesis-compatible servers without STS).</summary>
    public bool AssumeRoles { get; set; } = true;

    public SyncStsOptions Sts { get; set; } = new();
}

/// <summary><c>Portal:Sync:Sts</c>: where and how Portal assumes the pools' roles.</summary>
public sealed class SyncStsOptions
{
    /// <summary>e.g. http://localhost:4566; empty: <c>https://sts.{region}.amazonaws.com</c>.</summary>
    public string? Endpoint { get; set; }
    /// <summary>The signing region (and the default endpoint's); empty: the SNS target's or Kinesis' region, else Portal:Region.</summary>
    public string? Region { get; set; }
    /// <summary>Sent as <c>ExternalId</c> when set: the value the roles' trust policies require (<c>sts:ExternalId</c>).</summary>
    public string? ExternalId { get; set; }
    /// <summary>The sessions' <c>DurationSeconds</c> (900 to the role's maximum, 3600 by default).</summary>
    public int DurationSeconds { get; set; } = 3600;
    /// <summary>The <c>RoleSessionName</c>, seen in the role's CloudTrail entries and its assumed-role ARN.</summary>
    public string RoleSessionName { get; set; } = "portal-cognito-sync";
}

/// <summary>A role Portal could not act as: nothing is sent, and the message (naming the role and STS's answer) is the
/// delivery's error.</summary>
public sealed class RoleNotAssumedException(string message) : Exception(message);

/// <summary>
/// The credentials Cognito Sync's deliveries sign with: the role's temporary credentials from STS <c>AssumeRole</c> (Query
/// API, SigV4 for <c>sts</c> with the base credentials), kept per (role ARN, base access key) until five minutes before
/// they expire and shared by push sync and Cognito Streams. One caller per role assumes it while the others wait for its
/// answer; a refusal is remembered for <see cref="FailureMemory"/> so a batch of deliveries asks STS once, not once per record.
/// </summary>
public sealed partial class SyncRoles(IHttpClientFactory http, IOptionsMonitor<SyncRoleOptions> options, IOptions<PortalOptions> portal, TimeProvider clock)
    : IDisposable
{
    public const string HttpClientName = "Portal.Sync.Sts";
    /// <summary>How long before their expiry cached credentials are renewed (AWS's SDKs renew in the same window).</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    /// <summary>How long a role STS refused is answered from memory before STS is asked again.</summary>
    public static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(10);

    sealed class Session : IDisposable
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile TemporaryCredentials? Credentials;
        public (string Message, DateTimeOffset Until)? Failure;

        public void Dispose() => Gate.Dispose();
    }

    readonly ConcurrentDictionary<(string Role, string AccessKeyId), Session> sessions = new();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    public bool AssumeRoles => options.CurrentValue.AssumeRoles;

    /// <summary>The credentials to sign a delivery with: <paramref name="baseCredentials"/> when roles are not assumed,
    /// else the role's. <paramref name="setting"/> names where the role is configured (for the message when it is not);
    /// <paramref name="region"/> is the target's region. Throws <see cref="RoleNotAssumedException"/>.</summary>
    public async Task<AwsCredentials> For(string? roleArn, AwsCredentials baseCredentials, string region, string setting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(baseCredentials);
        if (!AssumeRoles) return baseCredentials;
        if (string.IsNullOrEmpty(roleArn))
            throw new RoleNotAssumedException($"The pool's {setting} is not set: Portal sends as the role it names (or set Portal:Sync:AssumeRoles to false to sign with Portal's keys).");
        if (!RoleArnPattern().IsMatch(roleArn))
            throw new RoleNotAssumedException($"Portal could not act as role {roleArn}: it is not an IAM role ARN (arn:aws:iam::{{account}}:role/{{name}}).");

        var session = sessions.GetOrAdd((roleArn, baseCredentials.AccessKeyId), _ => new Session());
        if (Usable(session.Credentials) is { } ready) return ready;
        await session.Gate.WaitAsync(ct);
        try
        {
            if (Usable(session.Credentials) is { } assumed) return assumed;
            if (session.Failure is { } failure && failure.Until > clock.GetUtcNow()) throw new RoleNotAssumedException(failure.Message);
            try
            {
                var credentials = await AssumeRole(roleArn, baseCredentials, region, ct);
                (session.Credentials, session.Failure) = (credentials, null);
                return Signing(credentials);
            }
            catch (RoleNotAssumedException e)
            {
                session.Failure = (e.Message, clock.GetUtcNow() + FailureMemory);
                throw;
            }
        }
        finally
        {
            session.Gate.Release();
        }
    }

    AwsCredentials? Usable(TemporaryCredentials? credentials) =>
        credentials is not null && credentials.Expiration - RenewBefore > clock.GetUtcNow() ? Signing(credentials) : null;

    static AwsCredentials Signing(TemporaryCredentials c) => new(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);

    async Task<TemporaryCredentials> AssumeRole(string roleArn, AwsCredentials baseCredentials, string region, CancellationToken ct)
    {
        var sts = options.CurrentValue.Sts;
        region = sts.Region is { Length: > 0 } r ? r : region is { Length: > 0 } ? region : portal.Value.Region;
        var endpoint = new Uri(sts.Endpoint is { Length: > 0 } configured ? configured.TrimEnd('/') + "/" : $"https://sts.{region}.amazonaws.com/");
        var sessionName = SessionNamePattern().IsMatch(sts.RoleSessionName) ? sts.RoleSessionName : "portal-cognito-sync";
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "AssumeRole"), new("Version", "2011-06-15"), new("RoleArn", roleArn), new("RoleSessionName", sessionName),
            new("DurationSeconds", Math.Clamp(sts.DurationSeconds, 900, 43_200).ToString(CultureInfo.InvariantCulture)),
        };
        if (sts.ExternalId is { Length: > 0 } externalId) form.Add(new("ExternalId", externalId));
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
        using var request = AwsCalls.SignedPost(endpoint, body, "application/x-www-form-urlencoded; charset=utf-8", baseCredentials, region, "sts", clock.GetUtcNow());
        try
        {
            return await StsAnswers.Credentials(http.CreateClient(HttpClientName), request, ct);
        }
        catch (ExternalStsException e)
        {
            throw new RoleNotAssumedException($"Portal could not act as role {roleArn}: STS at {endpoint.Host} answered {e.Code}: {e.Message}");
        }
        catch (ExternalStsUnavailableException e)
        {
            throw new RoleNotAssumedException($"Portal could not act as role {roleArn}: {e.Message}");
        }
    }

    public void Dispose()
    {
        foreach (var session in sessions.Values) session.Dispose();
    }
}
