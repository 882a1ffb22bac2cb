using System.Globalization;
using System.Net.Http.Headers;
using Portal.Client.Remote;

namespace Portal.Server.Outbound;

/// <summary>Credentials for a call Portal makes to an AWS API (Lambda, SNS, Kinesis): the configured ones, or, when the
/// settings leave the access key empty (as appsettings.json ships them), the usual AWS_* environment variables.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    /// <summary>The credentials to use, or null when neither the settings nor the environment hold a key pair.</summary>
    public static AwsCredentials? From(string? accessKeyId, string? secretAccessKey, string? sessionToken)
    {
        var configured = !string.IsNullOrEmpty(accessKeyId);
        var access = configured ? accessKeyId : Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = configured ? secretAccessKey : Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        var token = configured ? sessionToken : Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN");
        return string.IsNullOrEmpty(access) || string.IsNullOrEmpty(secret) ? null
            : new AwsCredentials(access, secret, string.IsNullOrEmpty(token) ? null : token);
    }
}

/// <summary>A POST to an AWS API signed with SigV4 (host, content type, date, session token and the caller's headers
/// signed), the one way Portal's Lambda, SNS and Kinesis clients build their requests.</summary>
public static class AwsCalls
{
    /// <param name="signedPath">The path as the service's canonical request wants it (Lambda encodes segments twice);
    /// null: the URI's path.</param>
    public static HttpRequestMessage SignedPost(Uri uri, byte[] body, string contentType, AwsCredentials credentials, string region,
        string service, DateTimeOffset now, IEnumerable<KeyValuePair<string, string>>? headers = null, string? signedPath = null)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var signed = new List<KeyValuePair<string, string>>
        {
            new("content-type", contentType),
            new("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}"),
            new("x-amz-date", amzDate),
        };
        signed.AddRange(headers ?? []);
        if (credentials.SessionToken is { } token) signed.Add(new("x-amz-security-token", token));
        var signature = SigV4Signature.Compute(credentials.SecretAccessKey, "POST", signedPath ?? uri.AbsolutePath, [], signed, body, amzDate, region, service);

        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in signed.Where(h => h.Key is not ("host" or "content-type"))) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(credentials.AccessKeyId, amzDate, region, service, SigV4Signature.SignedHeaders(signed), signature));
        return request;
    }
}
