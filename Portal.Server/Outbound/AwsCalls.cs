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

/// <summary>An AWS JSON API's error answer (its <c>__type</c> without namespace), or the API not reachable (Type null).</summary>
public sealed class AwsJsonException(string? type, string message) : Exception(message)
{
    public string? Type { get; } = type;
}

/// <summary>The AWS JSON 1.1 protocol as Portal's outbound clients speak it (Kinesis, CloudWatch Logs, Firehose): a POST
/// to <c>/</c> with <c>X-Amz-Target: {prefix}.{operation}</c>, SigV4-signed for the service; the answer's JSON object, or
/// an <see cref="AwsJsonException"/> naming the error type. <paramref name="name"/> names the service in messages.</summary>
public static class AwsJson
{
    public static async Task<System.Text.Json.Nodes.JsonObject> Call(HttpClient http, string endpoint, string target, System.Text.Json.Nodes.JsonObject body,
        AwsCredentials credentials, string region, string service, DateTimeOffset now, CancellationToken ct, string? name = null)
    {
        name ??= service;
        using var request = AwsCalls.SignedPost(new Uri(endpoint.TrimEnd('/') + "/"), System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()),
            "application/x-amz-json-1.1", credentials, region, service, now, [new("x-amz-target", target)]);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new AwsJsonException(null, $"{name} could not be reached: {OutboundAddresses.Reason(e)}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AwsJsonException(null, $"{name} did not answer in time.");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            System.Text.Json.Nodes.JsonObject? json = null;
            try
            {
                json = System.Text.Json.Nodes.JsonNode.Parse(text.Length == 0 ? "{}" : text) as System.Text.Json.Nodes.JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
            }
            if (response.IsSuccessStatusCode && json is not null) return json;
            var type = json?["__type"]?.ToString().Split('#')[^1];
            var message = json?["message"]?.ToString() ?? json?["Message"]?.ToString() ?? "";
            throw new AwsJsonException(type, $"{target.Split('.')[^1]} answered {type ?? $"HTTP {(int)response.StatusCode}"}: {message}".TrimEnd(' ', ':'));
        }
    }
}
