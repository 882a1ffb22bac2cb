using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Server.Sync.Push;

/// <summary>
/// What a device hears: Cognito's push sync data, the fields its mobile SDKs read (Android's <c>PushSyncUpdate</c>:
/// <c>source</c> "cognito-sync", <c>identityPoolId</c>, <c>identityId</c>, <c>datasetName</c>, <c>syncCount</c>, all
/// strings). SNS gets a JSON message structure with a silent message per platform (GCM and ADM <c>data</c>, APNS
/// <c>content-available</c>); a browser gets the same fields as its Web Push payload.
/// </summary>
public static class PushNotification
{
    public const string Source = "cognito-sync";

    public static JsonObject Data(string identityPoolId, string identityId, string datasetName, long syncCount) => new()
    {
        ["source"] = Source,
        ["identityPoolId"] = identityPoolId,
        ["identityId"] = identityId,
        ["datasetName"] = datasetName,
        ["syncCount"] = syncCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The Web Push payload: the data as a JSON object.</summary>
    public static string WebPush(JsonObject data) => data.ToJsonString();

    /// <summary>SNS Publish's <c>Message</c> with <c>MessageStructure=json</c>.</summary>
    public static string Sns(JsonObject data)
    {
        var apns = (JsonObject)data.DeepClone();
        apns["aps"] = new JsonObject { ["content-available"] = 1 };
        var silent = new JsonObject { ["data"] = data.DeepClone() }.ToJsonString();
        return new JsonObject
        {
            ["default"] = data.ToJsonString(),
            ["GCM"] = silent,
            ["ADM"] = silent,
            ["APNS"] = apns.ToJsonString(),
            ["APNS_SANDBOX"] = apns.ToJsonString(),
        }.ToJsonString();
    }

    /// <summary>The browser's PushSubscription JSON as a WEB_PUSH token: its endpoint and keys, or null when it is not one.</summary>
    public static (Uri Endpoint, string P256dh, string Auth)? ReadSubscription(string token)
    {
        try
        {
            using var doc = JsonDocument.Parse(token);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("endpoint", out var e) || e.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(e.GetString(), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http")
                || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Object
                || !keys.TryGetProperty("p256dh", out var p) || p.GetString() is not { Length: > 0 } p256dh
                || !keys.TryGetProperty("auth", out var a) || a.GetString() is not { Length: > 0 } auth)
                return null;
            return (endpoint, p256dh, auth);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
