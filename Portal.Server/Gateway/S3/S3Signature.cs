using System.Globalization;
using Portal.Server.Sts;
using Portal.Server.Wire;
using static Portal.Server.Gateway.SigV4Query;

namespace Portal.Server.Gateway.S3;

/// <summary>A verified S3 request's signer: its key, its temporary session (null for an admin key), and what chunked
/// uploads need to check their chunk signatures (the signing key, scope, date and seed signature).</summary>
public sealed record S3Caller(string AccessKeyId, SessionClaims? Session, byte[] SigningKey, string Scope, string AmzDate, string SeedSignature,
    string PayloadHash, bool Presigned, DateTimeOffset SignedAt);

/// <summary>Signature Version 4 as S3 uses it: the Authorization header or a presigned query, the payload hash of
/// <c>x-amz-content-sha256</c> (a hex SHA-256, <c>UNSIGNED-PAYLOAD</c> or a STREAMING-… mode), canonical URIs encoded once.</summary>
public sealed class S3Signature(ApiKeys keys, SessionTokens sessions, TimeProvider clock)
{
    public const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public async Task<S3Caller> Verify(HttpRequest request, CancellationToken ct)
    {
        var query = ParseQuery(RawQuery(request));
        var presigned = IsPresigned(query);
        string credential, signedHeaders, signature, amzDate, payloadHash, expiresText = "";
        string? token;
        if (presigned)
        {
            string Q(string name) => query.FirstOrDefault(q => q.Key == name).Value
                                     ?? throw S3Exception.AccessDenied($"Query-string authentication requires the {name} parameter");
            if (Q("X-Amz-Algorithm") != Algorithm) throw S3Exception.InvalidArgument("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
            credential = Q("X-Amz-Credential");
            signedHeaders = Q("X-Amz-SignedHeaders");
            signature = Q("X-Amz-Signature");
            amzDate = Q("X-Amz-Date");
            expiresText = Q("X-Amz-Expires");
            token = query.FirstOrDefault(q => q.Key == "X-Amz-Security-Token").Value;
            payloadHash = query.FirstOrDefault(q => q.Key.Equals("X-Amz-Content-Sha256", StringComparison.OrdinalIgnoreCase)).Value
                          ?? request.Headers["x-amz-content-sha256"].FirstOrDefault() ?? UnsignedPayload;
        }
        else
        {
            var authorization = request.Headers.Authorization.ToString();
            if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
                throw S3Exception.InvalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
            var parts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = part.Split('=', 2);
                if (pair.Length != 2 || !parts.TryAdd(pair[0], pair[1]))
                    throw S3Exception.Malformed("The authorization header is malformed.");
            }
            if (!parts.TryGetValue("Credential", out credential!) || !parts.TryGetValue("SignedHeaders", out signedHeaders!)
                || !parts.TryGetValue("Signature", out signature!))
                throw S3Exception.Malformed("The authorization header is malformed; it must name Credential, SignedHeaders and Signature.");
            amzDate = request.Headers["x-amz-date"].ToString();
            token = request.Headers["x-amz-security-token"].FirstOrDefault();
            payloadHash = request.Headers["x-amz-content-sha256"].ToString();
            if (string.IsNullOrEmpty(payloadHash)) throw S3Exception.InvalidRequest("Missing required header for this request: x-amz-content-sha256");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[3] != "s3" || scope[1].Length != 8)
            throw S3Exception.Malformed($"The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        var (accessKeyId, date, region) = (scope[0], scope[1], scope[2]);
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            throw S3Exception.AccessDenied("AWS authentication requires a valid Date or x-amz-date header");
        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
            throw S3Exception.Malformed($"The authorization header is malformed; Invalid credential date \"{date}\". This date is not the same as X-Amz-Date: \"{amzDate[..8]}\".");
        var now = clock.GetUtcNow();
        if (presigned)
        {
            if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                || expires < 1 || expires > MaxExpires)
                throw S3Exception.AuthorizationQueryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
            if (signedAt - now > AllowedSkew) throw S3Exception.AccessDenied("Request is not yet valid");
            if (now > signedAt.AddSeconds(expires)) throw S3Exception.AccessDenied("Request has expired");
        }
        else if ((now - signedAt).Duration() > AllowedSkew)
            throw S3Exception.Skewed();

        SessionClaims? session = null;
        string secret;
        if (accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            session = await sessions.Open(token ?? "", ct);
            if (session is null || session.AccessKeyId != accessKeyId) throw S3Exception.InvalidToken();
            if (session.Expiration <= now) throw S3Exception.ExpiredToken();
            secret = session.SecretAccessKey;
        }
        else
        {
            secret = await keys.SecretOf(accessKeyId, ct) ?? throw S3Exception.InvalidAccessKeyId();
        }

        if (!signedHeaders.Split(';').Contains("host")) throw S3Exception.Malformed("The authorization header is malformed; the host header must be signed.");
        var headers = SignedHeaderValues(request, signedHeaders)
                      ?? throw S3Exception.Malformed("The authorization header is malformed; SignedHeaders are lower-case names.");
        var signingQuery = presigned ? query.Where(q => q.Key != "X-Amz-Signature") : query;
        var key = SigningKey(secret, date, region, "s3");
        var expected = Sign(key, request.Method, RawPath(request), signingQuery, headers, payloadHash, amzDate, $"{date}/{region}/s3/aws4_request");
        if (!Matches(expected, signature))
            throw S3Exception.SignatureDoesNotMatch();
        return new S3Caller(accessKeyId, session, key, $"{date}/{region}/s3/aws4_request", amzDate, signature, payloadHash, presigned, signedAt);
    }
}
