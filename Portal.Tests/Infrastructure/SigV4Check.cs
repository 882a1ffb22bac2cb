using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Portal.Tests.Infrastructure;

/// <summary>SigV4 as AWS checks it, written out here (not Portal's code), for the test servers that stand in for AWS
/// services: the canonical request of the POST, the string to sign under the credential's scope, the signing key from the
/// known secret. A request it cannot reproduce is refused.</summary>
public static class SigV4Check
{
    /// <summary>The access key id of the request's SigV4 <c>Credential</c>, or null when it has none.</summary>
    public static string? AccessKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        return at < 0 ? null : authorization[(at + "Credential=".Length)..].Split('/')[0];
    }

    /// <summary>Whether the request's SigV4 signature covers the header (e.g. <c>x-amz-security-token</c>).</summary>
    public static bool Signs(HttpRequest request, string header)
    {
        var authorization = request.Headers.Authorization.ToString();
        var at = authorization.IndexOf("SignedHeaders=", StringComparison.Ordinal);
        return at >= 0 && authorization[(at + "SignedHeaders=".Length)..].Split(',')[0].Split(';').Contains(header);
    }

    public static bool Matches(HttpRequest request, byte[] body, string accessKey, string secret, string service, out string why)
    {
        why = "";
        var authorization = request.Headers.Authorization.ToString();
        const string prefix = "AWS4-HMAC-SHA256 ";
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            why = "no SigV4 Authorization";
            return false;
        }
        var fields = authorization[prefix.Length..].Split(',').Select(f => f.Trim().Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        var credential = fields["Credential"].Split('/');
        if (credential[0] != accessKey || credential[3] != service || credential[4] != "aws4_request")
        {
            why = "credential " + fields["Credential"];
            return false;
        }
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!amzDate.StartsWith(credential[1], StringComparison.Ordinal))
        {
            why = "date";
            return false;
        }
        var signed = fields["SignedHeaders"].Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date"))
        {
            why = "signed headers " + fields["SignedHeaders"];
            return false;
        }
        var canonicalHeaders = string.Concat(signed.Select(h => h + ":" + (h == "host" ? request.Host.Value ?? "" : request.Headers[h].ToString()).Trim() + "\n"));
        var canonical = string.Join('\n', request.Method, request.Path.Value, request.QueryString.Value?.TrimStart('?') ?? "", canonicalHeaders,
            fields["SignedHeaders"], Convert.ToHexStringLower(SHA256.HashData(body)));
        var scope = $"{credential[1]}/{credential[2]}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { credential[1], credential[2], service, "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        if (expected != fields["Signature"])
        {
            why = "signature";
            return false;
        }
        return true;
    }
}
