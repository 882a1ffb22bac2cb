using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Portal.Client.Contract;

namespace Portal.Client.Remote;

/// <summary>The contract over HTTP: AWS JSON 1.1 signed with SigV4, against Portal, AWS Cognito or cognito-local.</summary>
public sealed class RemoteCognito(HttpClient http, RemoteCognito.Credentials? credentials, string region = "us-east-1", TimeProvider? clock = null) : ICognito
{
    public sealed record Credentials(string AccessKeyId, string SecretAccessKey);

    static readonly Dictionary<string, Func<string, CognitoException>> ErrorTypes = typeof(CognitoException).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(CognitoException)) && t.GetConstructor([typeof(string)]) is not null)
        .ToDictionary(t => t.Name, t => (Func<string, CognitoException>)(m => (CognitoException)Activator.CreateInstance(t, m)!));

    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        var type = request.GetType();
        var body = JsonSerializer.SerializeToUtf8Bytes(request, type, CognitoJson.Options);
        using var message = new HttpRequestMessage(HttpMethod.Post, http.BaseAddress ?? new Uri("/", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        var target = Operations.TargetOf(type);
        message.Headers.Add("X-Amz-Target", target);
        if (credentials is not null) Sign(message, body, target);

        using var response = await http.SendAsync(message, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (response.IsSuccessStatusCode)
            return bytes.Length == 0 ? new TResponse() : JsonSerializer.Deserialize<TResponse>(bytes, CognitoJson.Options) ?? new TResponse();
        throw Error((int)response.StatusCode, bytes, response.Headers.TryGetValues("x-amzn-ErrorType", out var t) ? t.FirstOrDefault() : null);
    }

    void Sign(HttpRequestMessage message, byte[] body, string target)
    {
        var amzDate = (clock ?? TimeProvider.System).GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var uri = message.RequestUri!.IsAbsoluteUri ? message.RequestUri : new Uri(http.BaseAddress!, message.RequestUri);
        var service = target.StartsWith(Services.IdentityPools, StringComparison.Ordinal) ? "cognito-identity" : "cognito-idp";
        message.Headers.Add("X-Amz-Date", amzDate);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("content-type", "application/x-amz-json-1.1"),
            new("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}"),
            new("x-amz-date", amzDate),
            new("x-amz-target", target),
        };
        var signature = SigV4Signature.Compute(credentials!.SecretAccessKey, "POST", uri.AbsolutePath, [], headers, body, amzDate, region, service);
        message.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(credentials.AccessKeyId, amzDate, region, service, SigV4Signature.SignedHeaders(headers), signature));
    }

    static CognitoException Error(int status, byte[] body, string? headerType)
    {
        string type = headerType ?? "UnknownError", message = $"HTTP {status}";
        string? member = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("__type", out var t)) type = t.GetString() ?? type;
            if (doc.RootElement.TryGetProperty("message", out var m) || doc.RootElement.TryGetProperty("Message", out m)) message = m.GetString() ?? message;
            if (doc.RootElement.TryGetProperty("member", out var named) && named.ValueKind == JsonValueKind.String) member = named.GetString();
        }
        catch (JsonException) { }
        type = type.Split('#').Last().Split(':')[0];
        if (type == nameof(InvalidParameterException)) return new InvalidParameterException(message, member);
        return ErrorTypes.TryGetValue(type, out var make) ? make(message) : new UnknownCognitoException(type, message, status);
    }
}
