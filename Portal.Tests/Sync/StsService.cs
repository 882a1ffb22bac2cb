using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>
/// An STS speaking the Query API's <c>AssumeRole</c> on a real Kestrel port, for the roles Cognito Sync delivers as: each
/// request's SigV4 signature (service <c>sts</c>) must check out with one of the base keys it was given; a role it is told
/// to refuse, or a missing or wrong <c>ExternalId</c>, is answered <c>AccessDenied</c> as STS words it; otherwise it issues
/// temporary credentials (an <c>ASIA</c> key, a secret, a session token) that expire <c>DurationSeconds</c> (or
/// <see cref="Lifetime"/>) after the request's <c>X-Amz-Date</c>. The services standing in for SNS ask <see cref="Refusal"/> whether a request was signed
/// with credentials it issued, with their session token, before they expired.
/// </summary>
public sealed class StsService : IAsyncDisposable
{
    public const string ExternalId = "portal-sync-tests-external-id";

    readonly WebApplication app;
    readonly IReadOnlyDictionary<string, string> baseKeys;
    readonly ConcurrentDictionary<string, Issued> issued = new();

    public int Port { get; } = PortalServer.FreePort();
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>An AssumeRole request whose signature checked out: who asked (the base key) and for what.</summary>
    public sealed record AssumeRoleCall(string AccessKeyId, string RoleArn, string RoleSessionName, string? ExternalId, string DurationSeconds);

    /// <summary>Credentials this STS issued.</summary>
    public sealed record Issued(string AccessKeyId, string SecretAccessKey, string SessionToken, string RoleArn, DateTimeOffset Expiration);

    public PushServices.Inbox<AssumeRoleCall> Calls { get; } = new();
    /// <summary>Requests refused for their signature (none expected).</summary>
    public PushServices.Inbox<string> BadSignatures { get; } = new();
    /// <summary>Roles whose trust policy does not trust the base keys' principal.</summary>
    public ConcurrentDictionary<string, bool> RefusedRoles { get; } = new();
    /// <summary>When set, credentials expire this long after the request instead of its DurationSeconds (a short session).</summary>
    public TimeSpan? Lifetime { get; set; }

    public StsService(IReadOnlyDictionary<string, string> baseKeys)
    {
        this.baseKeys = baseKeys;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        app = builder.Build();
        app.MapPost("/", (Func<HttpContext, Task<IResult>>)AssumeRole);
        app.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>The credentials issued for a role, oldest first.</summary>
    public List<Issued> IssuedFor(string roleArn) => issued.Values.Where(i => i.RoleArn == roleArn).OrderBy(i => i.Expiration).ToList();

    async Task<IResult> AssumeRole(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var key = SigV4Check.AccessKey(http.Request);
        if (key is null || !baseKeys.TryGetValue(key, out var secret))
            return Error(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        if (!SigV4Check.Matches(http.Request, body, key, secret, "sts", out var why))
        {
            BadSignatures.Add(why);
            return Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. " + why);
        }
        var form = Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));
        if (form.GetValueOrDefault("Action") != "AssumeRole" || form.GetValueOrDefault("Version") != "2011-06-15")
            return Error(400, "InvalidAction", $"Could not find operation {form.GetValueOrDefault("Action")} for version {form.GetValueOrDefault("Version")}");
        var role = form.GetValueOrDefault("RoleArn") ?? "";
        var duration = form.GetValueOrDefault("DurationSeconds") ?? "3600";
        Calls.Add(new AssumeRoleCall(key, role, form.GetValueOrDefault("RoleSessionName") ?? "", form.GetValueOrDefault("ExternalId"), duration));
        if (RefusedRoles.ContainsKey(role) || form.GetValueOrDefault("ExternalId") != ExternalId)
            return Error(403, "AccessDenied", $"User: arn:aws:iam::000000000000:user/portal-sync is not authorized to perform: sts:AssumeRole on resource: {role}");

        var at = DateTimeOffset.ParseExact(http.Request.Headers["x-amz-date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        var credentials = new Issued("ASIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)), role, at + (Lifetime ?? TimeSpan.FromSeconds(int.Parse(duration, CultureInfo.InvariantCulture))));
        issued[credentials.AccessKeyId] = credentials;
        var session = form["RoleSessionName"];
        return Results.Content($"""
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser>
                  <AssumedRoleId>AROA{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}:{session}</AssumedRoleId>
                  <Arn>{role.Replace(":iam::", ":sts::", StringComparison.Ordinal).Replace(":role/", ":assumed-role/", StringComparison.Ordinal)}/{session}</Arn>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>{credentials.AccessKeyId}</AccessKeyId>
                  <SecretAccessKey>{credentials.SecretAccessKey}</SecretAccessKey>
                  <SessionToken>{credentials.SessionToken}</SessionToken>
                  <Expiration>{credentials.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """, "text/xml");
    }

    /// <summary>Null when the request to <paramref name="service"/> is signed with credentials this STS issued, carrying
    /// their session token (signed) before they expired (by the request's own <c>X-Amz-Date</c>); else the error code and
    /// why, as AWS services refuse it.</summary>
    public (string Code, string Why)? Refusal(HttpRequest request, byte[] body, string service)
    {
        var key = SigV4Check.AccessKey(request);
        if (key is null || !issued.TryGetValue(key, out var credentials))
            return ("InvalidClientTokenId", $"the access key {key} is not one this STS issued");
        if (request.Headers["x-amz-security-token"].ToString() != credentials.SessionToken || !SigV4Check.Signs(request, "x-amz-security-token"))
            return ("InvalidClientTokenId", "the session token is missing, unsigned, or not the one issued with the key");
        var at = DateTimeOffset.ParseExact(request.Headers["x-amz-date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        if (at >= credentials.Expiration) return ("ExpiredToken", "The security token included in the request is expired");
        return SigV4Check.Matches(request, body, key, credentials.SecretAccessKey, service, out var why) ? null : ("SignatureDoesNotMatch", why);
    }

    static IResult Error(int status, string code, string message) => Results.Content(
        $"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>",
        "text/xml", Encoding.UTF8, status);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
