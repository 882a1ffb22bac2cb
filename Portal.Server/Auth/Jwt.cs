using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Server.Auth;

/// <summary>A JWT split into its parts: the decoded header and payload, the signed text and the signature.</summary>
public sealed record JwtParts(JsonObject Header, JsonObject Payload, byte[] SignedBytes, byte[] Signature)
{
    public string? Kid => Header["kid"]?.GetValueKind() == JsonValueKind.String ? Header["kid"]!.GetValue<string>() : null;
    public string? Alg => Header["alg"]?.GetValueKind() == JsonValueKind.String ? Header["alg"]!.GetValue<string>() : null;

    public string? String(string claim) =>
        Payload[claim] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public long? Number(string claim) =>
        Payload[claim] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : null;
}

/// <summary>Compact JWS with RS256, as Cognito signs its tokens: header {kid, alg}, no nbf, claims exactly as given.</summary>
public static class Jwt
{
    public static string Sign(RSA key, string kid, JsonObject payload)
    {
        var header = new JsonObject { ["kid"] = kid, ["alg"] = "RS256" };
        var signed = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    /// <summary>Splits and decodes a token without checking its signature; false when it is not a well-formed JWS.</summary>
    public static bool TryRead(string? token, out JwtParts parts)
    {
        parts = null!;
        if (string.IsNullOrEmpty(token) || token.Length > 16384) return false;
        var segments = token.Split('.');
        if (segments.Length != 3) return false;
        try
        {
            var header = JsonNode.Parse(FromBase64Url(segments[0])) as JsonObject;
            var payload = JsonNode.Parse(FromBase64Url(segments[1])) as JsonObject;
            if (header is null || payload is null) return false;
            parts = new JwtParts(header, payload, Encoding.ASCII.GetBytes($"{segments[0]}.{segments[1]}"), FromBase64Url(segments[2]));
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    public static bool Verify(RSA key, JwtParts parts) =>
        parts.Alg == "RS256" && key.VerifyData(parts.SignedBytes, parts.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        foreach (var c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) throw new FormatException("Not base64url.");
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
