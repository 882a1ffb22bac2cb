using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Server.Gateway;

/// <summary>What is wrong with a presigned (query-string) SigV4 request; each route answers it in its service's words.</summary>
public enum PresignProblem
{
    /// <summary>A required X-Amz-… parameter is absent (<see cref="SigV4QueryException.Parameter"/> names it).</summary>
    MissingParameter,
    BadAlgorithm,
    BadCredential,
    BadDate,
    /// <summary>The credential scope's date is not X-Amz-Date's day.</summary>
    DateMismatch,
    BadExpires,
    /// <summary>X-Amz-Date is more than the allowed skew in the future.</summary>
    NotYetValid,
    /// <summary>X-Amz-Date + the validity is past.</summary>
    Expired,
}

public sealed class SigV4QueryException(PresignProblem problem, string? parameter = null)
    : Exception($"Presigned request: {problem}{(parameter is null ? "" : " " + parameter)}")
{
    public PresignProblem Problem { get; } = problem;
    public string? Parameter { get; } = parameter;
}

/// <summary>A presigned request's parameters, read and checked (algorithm, credential scope, date, expiry, skew).</summary>
public sealed record PresignedQuery(string AccessKeyId, string Date, string Region, string Service, string AmzDate, DateTimeOffset SignedAt,
    int Expires, string SignedHeaders, string Signature, string? SecurityToken, IReadOnlyList<KeyValuePair<string, string>> Query)
{
    public string Scope => $"{Date}/{Region}/{Service}/aws4_request";

    /// <summary>The query the signature covers: every pair but X-Amz-Signature.</summary>
    public IEnumerable<KeyValuePair<string, string>> SigningQuery => Query.Where(q => q.Key != "X-Amz-Signature");
}

/// <summary>
/// Signature Version 4 as the gateway's routes verify it: the raw path and query as the client sent them, presigned
/// (query-string) requests' parameters, and the canonical request with a given payload hash. Shared by the S3 route
/// (<c>S3Signature</c>, with S3's own error words) and the IAM-authorized API routes.
/// </summary>
public static class SigV4Query
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    public const int MaxExpires = 604800;

    public static readonly string[] PresignParameters =
        ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];

    /// <summary>True when the query carries presigned parameters (a signature or a credential).</summary>
    public static bool IsPresigned(IReadOnlyList<KeyValuePair<string, string>> query) =>
        query.Any(q => q.Key is "X-Amz-Signature" or "X-Amz-Credential");

    /// <summary>Reads and checks a presigned query: every parameter present, the algorithm, the credential scope
    /// (<c>AKID/YYYYMMDD/region/service/aws4_request</c>), the date, 1 ≤ X-Amz-Expires ≤ 604800, not signed more than
    /// the skew in the future, and not past <c>X-Amz-Date + min(X-Amz-Expires, maxValidity)</c>.</summary>
    public static PresignedQuery Parse(IReadOnlyList<KeyValuePair<string, string>> query, DateTimeOffset now, TimeSpan? maxValidity = null)
    {
        string Q(string name) => query.FirstOrDefault(q => q.Key == name).Value ?? throw new SigV4QueryException(PresignProblem.MissingParameter, name);
        var algorithm = Q("X-Amz-Algorithm");
        var credential = Q("X-Amz-Credential");
        var amzDate = Q("X-Amz-Date");
        var expiresText = Q("X-Amz-Expires");
        var signedHeaders = Q("X-Amz-SignedHeaders");
        var signature = Q("X-Amz-Signature");
        if (algorithm != Algorithm) throw new SigV4QueryException(PresignProblem.BadAlgorithm);
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[1].Length != 8 || scope[0].Length == 0)
            throw new SigV4QueryException(PresignProblem.BadCredential);
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            throw new SigV4QueryException(PresignProblem.BadDate);
        if (!amzDate.StartsWith(scope[1], StringComparison.Ordinal)) throw new SigV4QueryException(PresignProblem.DateMismatch);
        if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires < 1 || expires > MaxExpires)
            throw new SigV4QueryException(PresignProblem.BadExpires);
        if (signedAt - now > AllowedSkew) throw new SigV4QueryException(PresignProblem.NotYetValid);
        var validity = TimeSpan.FromSeconds(expires);
        if (maxValidity is { } max && max < validity) validity = max;
        if (now > signedAt + validity) throw new SigV4QueryException(PresignProblem.Expired);
        return new PresignedQuery(scope[0], scope[1], scope[2], scope[3], amzDate, signedAt, expires, signedHeaders, signature,
            query.FirstOrDefault(q => q.Key == "X-Amz-Security-Token").Value, query);
    }

    /// <summary>The path as the client sent it (still percent-encoded), without the query.</summary>
    public static string RawPath(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') return request.PathBase.Add(request.Path).ToUriComponent();
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? raw : raw[..q];
    }

    /// <summary>The query as the client sent it, without the '?'.</summary>
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

    /// <summary>The signed headers' values as the request has them (host from the Host header), or null when a name
    /// is empty or not lower-case.</summary>
    public static List<KeyValuePair<string, string>>? SignedHeaderValues(HttpRequest request, string signedHeaders)
    {
        var names = signedHeaders.Split(';');
        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (var name in names)
        {
            if (name.Length == 0 || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal)) return null;
            headers.Add(new(name, name == "host" ? request.Headers.Host.ToString() : string.Join(",", request.Headers[name].Select(v => (v ?? "").Trim()))));
        }
        return headers;
    }

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    /// <summary>The signature of a canonical request whose payload hash is given (a hex SHA-256 or UNSIGNED-PAYLOAD).</summary>
    public static string Sign(byte[] signingKey, string method, string rawPath, IEnumerable<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash, string amzDate, string scope)
    {
        var canonicalHeaders = string.Concat(headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}:{Collapse(h.Value.Trim())}\n"));
        var canonicalRequest = string.Join('\n', method, CanonicalPath(rawPath), CanonicalQuery(query), canonicalHeaders,
            string.Join(';', headers.Select(h => h.Key).OrderBy(k => k, StringComparer.Ordinal)), payloadHash);
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        return Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>True when the signatures are equal, compared in constant time.</summary>
    public static bool Matches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));

    /// <summary>The canonical URI: each segment encoded once (no normalisation, no double encoding).</summary>
    public static string CanonicalPath(string rawPath) =>
        string.IsNullOrEmpty(rawPath) ? "/" : string.Join('/', rawPath.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));

    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) => string.Join('&', query
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
