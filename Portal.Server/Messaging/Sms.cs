using System.Net.Http.Json;

namespace Portal.Server.Messaging;

/// <summary>The <c>Portal:Sms</c> section.</summary>
public sealed class SmsOptions
{
    /// <summary>When set, each SMS is POSTed there as JSON <c>{"to": "+1555…", "message": "…"}</c>.</summary>
    public string? WebhookUrl { get; set; }
}

/// <summary>Sends SMS text messages. Replace the registration to plug in a provider.</summary>
public interface ISmsSender
{
    /// <summary>Sends the message; false when it is only recorded in the outbox (no transport). Throws when sending fails.</summary>
    Task<bool> Send(string phoneNumber, string message, CancellationToken ct);
}

/// <summary>The default: no SMS transport; the outbox keeps the message for operators and tests.</summary>
public sealed class OutboxOnlySmsSender : ISmsSender
{
    public Task<bool> Send(string phoneNumber, string message, CancellationToken ct) => Task.FromResult(false);
}

/// <summary>Hands each SMS to an HTTP endpoint (a gateway of the operator's choice).</summary>
public sealed class WebhookSmsSender(IHttpClientFactory http, Uri webhook) : ISmsSender
{
    public const string HttpClientName = "Portal.Sms";

    public async Task<bool> Send(string phoneNumber, string message, CancellationToken ct)
    {
        using var response = await http.CreateClient(HttpClientName).PostAsJsonAsync(webhook, new { to = phoneNumber, message }, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"SMS webhook answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        return true;
    }
}
