using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Server.ThreatProtection;

/// <summary>
/// The device a sign-in comes from, as adaptive authentication tells devices apart: from the app's
/// <c>UserContextData.EncodedData</c> / <c>ContextData.EncodedData</c> (the advanced-security data of Cognito's SDKs: base64
/// of {"payload": "{\"contextData\": {\"DeviceId\": ..., \"DeviceFingerprint\": ...}}", ...}; any other base64 blob is
/// taken as an opaque device identifier), else from the browser or client (User-Agent and Accept-Language) the request or
/// the server-side app's ContextData shows. <see cref="Key"/> is a SHA-256 of what identifies the device (32 hex
/// characters), never the raw data. EncodedData that is not base64 or not readable is ignored, as Cognito ignores it
/// (the sign-in goes on, assessed from the address and browser); the event says so (<see cref="Unreadable"/>).
/// </summary>
public sealed record DeviceContext(string? Key, string? Label, bool Unreadable)
{
    const int MaxEncoded = 16 * 1024;

    public static DeviceContext From(string? encodedData, string? userAgent, string? language)
    {
        var label = Auth.AuthEvents.DeviceName(userAgent);
        var unreadable = false;
        if (!string.IsNullOrEmpty(encodedData))
        {
            if (Opaque(encodedData) is { } id) return new DeviceContext(Hash("data\n" + id), label, false);
            unreadable = true;
        }
        if (string.IsNullOrWhiteSpace(userAgent)) return new DeviceContext(null, label, unreadable);
        return new DeviceContext(Hash($"agent\n{userAgent}\n{language}"), label, unreadable);
    }

    /// <summary>The identifier in the encoded data: its DeviceId or DeviceFingerprint when it is the SDKs' JSON, else the
    /// decoded bytes; null when it is not base64.</summary>
    static string? Opaque(string encoded)
    {
        if (encoded.Length > MaxEncoded) return null;
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (!Convert.TryFromBase64String(encoded.Trim(), bytes, out var length) || length == 0) return null;
        var decoded = bytes.AsSpan(0, length);
        // Only a JSON object can be the SDKs' data: anything else is opaque without a parse (and its exception) to tell.
        if (decoded.TrimStart(Leading) is not [(byte)'{', ..]) return Convert.ToHexString(SHA256.HashData(decoded));
        try
        {
            using var outer = JsonDocument.Parse(decoded.ToArray());
            if (outer.RootElement.ValueKind == JsonValueKind.Object
                && outer.RootElement.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(payload.GetString()!);
                if (inner.RootElement.ValueKind == JsonValueKind.Object && inner.RootElement.TryGetProperty("contextData", out var context)
                    && context.ValueKind == JsonValueKind.Object)
                {
                    foreach (var name in (string[])["DeviceId", "DeviceFingerprint"])
                        if (context.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                            return s;
                    return context.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            // Not the SDKs' JSON: an opaque device identifier.
        }
        return Convert.ToHexString(SHA256.HashData(decoded));
    }

    /// <summary>JSON's whitespace and a UTF-8 byte order mark, which may come before an object.</summary>
    static ReadOnlySpan<byte> Leading => [0x20, 0x09, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF];

    static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    /// <summary>The network an address belongs to: its /24 (IPv4) or /64 (IPv6); null when it is no address.</summary>
    public static string? NetworkOf(string? address)
    {
        if (!IPAddress.TryParse(address, out var ip)) return null;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var bytes = ip.GetAddressBytes();
        if (bytes.Length == 4) return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
        for (var i = 8; i < 16; i++) bytes[i] = 0;
        return $"{new IPAddress(bytes)}/64";
    }
}
