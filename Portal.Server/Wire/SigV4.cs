using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Client.Contract;
using Portal.Client.Contract.Sts;
using Portal.Client.Remote;
using Portal.Server.Sts;

namespace Portal.Server.Wire;

/// <summary>Who signed a request: an admin access key (Session null) or the temporary credentials of an assumed role
/// (the session's claims, read from its session token without a database read).</summary>
public sealed record SignedCaller(string AccessKeyId, SessionClaims? Session)
{
    public bool IsAdmin => Session is null;
}

/// <summary>Verifies AWS Signature Version 4 on requests to IAM-authorised operations.</summary>
public sealed class SigV4(ApiKeys keys, SessionTokens sessions, TimeProvider clock)
{
    static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>Returns the admin access key id that signed the request, or throws the AWS error. Temporary credentials of
    /// an assumed role are not admin keys: they get AccessDenied.</summary>
    public async Task<string> Verify(HttpRequest request, byte[] body, CancellationToken ct)
    {
        var caller = await Authenticate(request, body, ct);
        if (caller.Session is { } session)
            throw NotAdmin(session, null);
        return caller.AccessKeyId;
    }

    /// <summary>AWS's AccessDenied for an assumed role calling an operation its credentials do not reach.</summary>
    public static AccessDeniedException NotAdmin(SessionClaims session, string? action) =>
        new($"User: {session.AssumedRoleArn} is not authorized to perform: {action ?? "this operation"} because no identity-based policy allows the {action ?? "operation"} action");

    /// <summary>Verifies the signature and returns who made it: an admin key, or an assumed role's temporary credentials
    /// (ASIA… with X-Amz-Security-Token). Forged or tampered tokens are UnrecognizedClient, ended sessions ExpiredToken.</summary>
    public Task<SignedCaller> Authenticate(HttpRequest request, byte[] body, CancellationToken ct) => Authenticate(request, body, null, ct);

    /// <param name="signedPath">The path as the signer's canonical request names it, when it is not the request's path:
    /// REST services other than S3 sign their already-encoded path encoded once more (Sync/SyncEndpoint passes it).</param>
    public async Task<SignedCaller> Authenticate(HttpRequest request, byte[] body, string? signedPath, CancellationToken ct)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
            throw new MissingAuthenticationTokenException("Missing Authentication Token");
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
            throw new IncompleteSignatureException("Authorization header requires the AWS4-HMAC-SHA256 algorithm.");

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2) continue;
            // A field given twice could be read one way here and another way by a proxy: refuse it, as AWS does.
            if (!parts.TryAdd(pair[0], pair[1]))
                throw new IncompleteSignatureException($"Authorization header requires '{pair[0]}' only once. Authorization={authorization}");
        }
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
            throw new IncompleteSignatureException("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
            throw new IncompleteSignatureException($"Credential should be scoped to a valid region, service and 'aws4_request', not '{credential}'.");
        var (accessKeyId, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);

        SessionClaims? session = null;
        string secret;
        var securityToken = request.Headers["X-Amz-Security-Token"].ToString();
        if (accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            session = await sessions.Open(securityToken, ct);
            if (session is null || session.AccessKeyId != accessKeyId)
                throw new UnrecognizedClientException("The security token included in the request is invalid.");
            if (session.Expiration <= clock.GetUtcNow())
                throw new ExpiredSessionException("The security token included in the request is expired");
            secret = session.SecretAccessKey;
        }
        else
        {
            secret = await keys.SecretOf(accessKeyId, ct)
                     ?? throw new UnrecognizedClientException("The security token included in the request is invalid.");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            throw new IncompleteSignatureException("Missing or malformed X-Amz-Date header.");
        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
            throw new InvalidSignatureException("Date in Credential scope does not match X-Amz-Date.");
        var now = clock.GetUtcNow();
        if ((now - signedAt).Duration() > AllowedSkew)
            throw new InvalidSignatureException(
                $"Signature expired: {amzDate} is now earlier than {now.Subtract(AllowedSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 15 min.)");

        var headerNames = signedHeaders.Split(';');
        if (!headerNames.Contains("host"))
            throw new IncompleteSignatureException("The 'host' header must be signed.");
        // The target names the operation: unsigned, it could be swapped under a valid signature.
        if (request.Headers.ContainsKey("X-Amz-Target") && !headerNames.Contains("x-amz-target"))
            throw new IncompleteSignatureException("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        var headers = headerNames.Select(name => new KeyValuePair<string, string>(name,
            name == "host" ? request.Host.Value ?? "" : string.Join(",", request.Headers[name].Select(v => v ?? "")))).ToList();
        var query = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? "")));
        var expected = SigV4Signature.Compute(secret, request.Method, signedPath ?? request.Path.Value ?? "/", query, headers, body, amzDate, region, service);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            throw new InvalidSignatureException(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        return new SignedCaller(accessKeyId, session);
    }

}
