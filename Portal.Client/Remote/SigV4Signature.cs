using System.Security.Cryptography;
using System.Text;

namespace Portal.Client.Remote;

/// <summary>AWS Signature Version 4: the one computation both the remote client (signing) and the server (verifying) use.</summary>
public static class SigV4Signature
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <param name="headers">The signed headers, lower-case names with their values (host included).</param>
    public static string Compute(string secretAccessKey, string method, string path, IEnumerable<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, string amzDate, string region, string service)
    {
        var date = amzDate[..8];
        var signedHeaders = SignedHeaders(headers);
        var canonicalHeaders = string.Concat(headers.OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => $"{h.Key}:{CollapseSpaces(h.Value.Trim())}\n"));
        var canonicalRequest = string.Join('\n',
            method,
            CanonicalPath(path),
            CanonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            Hex(SHA256.HashData(body)));
        var stringToSign = string.Join('\n', Algorithm, amzDate, $"{date}/{region}/{service}/aws4_request",
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    public static string SignedHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join(';', headers.Select(h => h.Key).OrderBy(k => k, StringComparer.Ordinal));

    public static string Authorization(string accessKeyId, string amzDate, string region, string service, string signedHeaders, string signature) =>
        $"{Algorithm} Credential={accessKeyId}/{amzDate[..8]}/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}";

    static string CanonicalPath(string? path) =>
        string.IsNullOrEmpty(path) ? "/" : string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));

    static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) => string.Join('&', query
        .Select(q => (k: Uri.EscapeDataString(q.Key), v: Uri.EscapeDataString(q.Value)))
        .OrderBy(p => p.k, StringComparer.Ordinal).ThenBy(p => p.v, StringComparer.Ordinal)
        .Select(p => $"{p.k}={p.v}"));

    static string CollapseSpaces(string s) => System.Text.RegularExpressions.Regex.Replace(s, " +", " ");
    static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
    static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
