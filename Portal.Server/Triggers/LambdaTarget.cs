using System.Text;
using Microsoft.Extensions.Options;
using Portal.Client.Remote;

namespace Portal.Server.Triggers;

/// <summary>
/// An AWS Lambda function as a trigger, called through the Lambda Invoke API
/// (<c>POST {endpoint}/2015-03-31/functions/{arn}/invocations</c>, SigV4 signed, RequestResponse), so the same function
/// Cognito would call runs unchanged. The endpoint and credentials come from <c>Portal:Triggers:Lambda</c>
/// (or the usual AWS_* environment variables), so LocalStack and SAM local work too.
/// </summary>
public sealed class LambdaTarget(IHttpClientFactory http, IOptions<TriggerOptions> options, TimeProvider clock)
{
    public async Task<TargetAnswer> Run(string arn, string body, CancellationToken ct)
    {
        var o = options.Value.Lambda;
        var parts = arn.Split(':');
        var region = !string.IsNullOrEmpty(o.Region) ? o.Region : parts.Length > 3 && parts[3].Length > 0 ? parts[3] : "us-east-1";
        var endpoint = (!string.IsNullOrEmpty(o.Endpoint) ? o.Endpoint : $"https://lambda.{region}.amazonaws.com").TrimEnd('/');
        // Empty settings (as appsettings.json ships them) mean "not configured": the AWS_* environment applies.
        var credentials = Outbound.AwsCredentials.From(o.AccessKeyId, o.SecretAccessKey, o.SessionToken)
            ?? throw new TriggerFunctionException("No AWS credentials are configured for Lambda targets (Portal:Triggers:Lambda:AccessKeyId and SecretAccessKey).");

        var escaped = Uri.EscapeDataString(arn);
        var uri = new Uri($"{endpoint}/2015-03-31/functions/{escaped}/invocations");
        // Lambda (not S3) signs the path with each segment encoded twice; the signer encodes once after decoding once.
        using var request = Outbound.AwsCalls.SignedPost(uri, Encoding.UTF8.GetBytes(body), "application/json", credentials, region, "lambda",
            clock.GetUtcNow(), [new("x-amz-invocation-type", "RequestResponse"), new("x-amz-log-type", "Tail")],
            signedPath: $"/2015-03-31/functions/{Uri.EscapeDataString(escaped)}/invocations");

        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(WebhookTarget.HttpClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new TriggerFunctionException($"The Lambda endpoint could not be reached: {Portal.Server.Outbound.OutboundAddresses.Reason(e)}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            string? logs = null;
            if (response.Headers.TryGetValues("X-Amz-Log-Result", out var tail) && tail.FirstOrDefault() is { Length: > 0 } b64)
            {
                try { logs = Encoding.UTF8.GetString(Convert.FromBase64String(b64)); } catch (FormatException) { }
            }
            if (!response.IsSuccessStatusCode)
                throw new TriggerFunctionException(WebhookTarget.ErrorOf(text) ?? $"Lambda Invoke answered HTTP {(int)response.StatusCode}", logs);
            if (response.Headers.Contains("X-Amz-Function-Error"))
                throw new TriggerFunctionException(WebhookTarget.ErrorOf(text) ?? "Unhandled", logs);
            return new TargetAnswer(string.IsNullOrWhiteSpace(text) ? "null" : text, logs);
        }
    }
}
