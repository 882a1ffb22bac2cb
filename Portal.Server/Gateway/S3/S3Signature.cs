using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Portal.Server.Sts;
using Portal.Server.Wire;

namespace Portal.Server.Gateway.S3;

/// <summary>A verified S3 request's signer: its key, its temporary session (null for an admin key), and what chunked
/// uploads need to check their chunk signatures (the signing key, scope, date and seed signature).</summary>
public sealed record S3Caller(string AccessKeyId, SessionClaims? Session, byte[] SigningKey, string Scope, string AmzDate, string SeedSignature,
    string PayloadHash, bool Presigned, DateTimeOffset SignedAt);

/// <summary>Signature Version 4 as S3 uses it: the Authorization header or a presigned query, the payload hash of
/// <c>x-amz-content-sha256</c> (a hex SHA-256, <c>UNSIGNED-PAYLOAD</c> or a STREAMING-… mode), canonical URIs encoded once.</summary>
public sealed class S3Signature(ApiKeys keys, SessionTokens sessions, TimeProvider clock)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    const int MaxPresignedExpiry = 604800;

    public static readonly string[] PresignParameters =
        ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];

    public async Task<S3Caller> Verify(HttpRequest request, CancellationToken ct)
    {
        var query = ParseQuery(RawQuery(request));
        var presigned = query.Any(q => q.Key == "X-Amz-Signature") || query.Any(q => q.Key == "X-Amz-Credential");
        string credential, signedHeaders, signature, amzDate, payloadHash;
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
            if (!int.TryParse(query.First(q => q.Key == "X-Amz-Expires").Value, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                || expires < 1 || expires > MaxPresignedExpiry)
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

        var headerNames = signedHeaders.Split(';');
        if (!headerNames.Contains("host")) throw S3Exception.Malformed("The authorization header is malformed; the host header must be signed.");
        var headers = new List<KeyValuePair<string, string>>(headerNames.Length);
        foreach (var name in headerNames)
        {
            if (name.Length == 0 || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal)) throw S3Exception.Malformed("The authorization header is malformed; SignedHeaders are lower-case names.");
            headers.Add(new(name, name == "host" ? request.Headers.Host.ToString() : string.Join(",", request.Headers[name].Select(v => (v ?? "").Trim()))));
        }
        var signingQuery = presigned ? query.Where(q => q.Key != "X-Amz-Signature") : query;
        var key = SigningKey(secret, date, region, "s3");
        var expected = Sign(key, request.Method, RawPath(request), signingQuery, headers, payloadHash, amzDate, $"{date}/{region}/s3/aws4_request");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            throw S3Exception.SignatureDoesNotMatch();
        return new S3Caller(accessKeyId, session, key, $"{date}/{region}/s3/aws4_request", amzDate, signature, payloadHash, presigned, signedAt);
    }

    /// <summary>The path as the client sent it (still percent-encoded), without the query.</summary>
    public static string RawPath(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') return request.PathBase.Add(request.Path).ToUriComponent();
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? raw : raw[..q];
    }

    public static string RawQuery(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null) return request.QueryString.Value?.TrimStart('?') ?? "";
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? "" : raw[(q + 1)..];
    }

    /// <summary>The query's pairs, decoded, in their order (a name without '=' has the empty value).</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string raw)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(eq < 0 ? new(Decode(part), "") : new(Decode(part[..eq]), Decode(part[(eq + 1)..])));
        }
        return pairs;
    }

    static string Decode(string s)
    {
        try { return Uri.UnescapeDataString(s.Replace('+', ' ')); }
        catch (UriFormatException) { return s; }
    }

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    public static string Sign(byte[] signingKey, string method, string rawPath, IEnumerable<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, string amzDate, string scope)
    {
        var canonicalHeaders = string.Concat(headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}:{Collapse(h.Value.Trim())}\n"));
        var canonicalRequest = string.Join('\n', method, CanonicalPath(rawPath), CanonicalQuery(query), canonicalHeaders,
            string.Join(';', headers.Select(h => h.Key).OrderBy(k => k, StringComparer.Ordinal)), payloadHash);
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        return Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>S3's canonical URI: each segment encoded once (S3 does not normalise or double-encode).</summary>
    public static string CanonicalPath(string rawPath) =>
        string.IsNullOrEmpty(rawPath) ? "/" : string.Join('/', rawPath.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));

    static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) => string.Join('&', query
        .Select(q => (k: Uri.EscapeDataString(q.Key), v: Uri.EscapeDataString(q.Value)))
        .OrderBy(p => p.k, StringComparer.Ordinal).ThenBy(p => p.v, StringComparer.Ordinal)
        .Select(p => $"{p.k}={p.v}"));

    static string Collapse(string s)
    {
        if (!s.Contains("  ", StringComparison.Ordinal)) return s;
        var b = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (c == ' ' && space) continue;
            space = c == ' ';
            b.Append(c);
        }
        return b.ToString();
    }

    public static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
