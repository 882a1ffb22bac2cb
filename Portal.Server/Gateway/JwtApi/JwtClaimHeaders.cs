using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Server.Gateway.JwtApi;

/// <summary>
/// How a JWT route tells its backend who called. API Gateway hands a JWT authorizer's claims to the integration as
/// <c>$context.authorizer.jwt.claims.*</c>, which an HTTP integration maps into headers; Portal maps them itself:
/// <list type="bullet">
/// <item><c>x-amzn-jwt-claims</c>: every claim of the token, as JSON (non-ASCII escaped);</item>
/// <item><c>x-amzn-jwt-claim-{name}</c>: one header per claim, the name lower-cased with <c>:</c> as <c>-</c>
/// (<c>cognito:groups</c> → <c>x-amzn-jwt-claim-cognito-groups</c>), arrays comma-joined, non-ASCII percent-encoded.</item>
/// </list>
/// A caller's own headers of that shape are removed first, so a backend can believe them.
/// </summary>
public static class JwtClaimHeaders
{
    public const string Prefix = "x-amzn-jwt-";
    public const string All = "x-amzn-jwt-claims";

    /// <summary>The headers to add for these claims.</summary>
    public static List<KeyValuePair<string, string>> For(JsonObject claims)
    {
        var headers = new List<KeyValuePair<string, string>> { new(All, claims.ToJsonString()) };
        foreach (var (name, value) in claims)
        {
            if (value is null) continue;
            var text = value switch
            {
                JsonArray a => string.Join(",", a.Select(Text)),
                _ => Text(value),
            };
            headers.Add(new($"x-amzn-jwt-claim-{HeaderName(name)}", text));
        }
        return headers;
    }

    static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Safe(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    static string Safe(string s) => s.All(c => c is >= ' ' and <= '~') ? s : Uri.EscapeDataString(s);

    static string HeaderName(string claim)
    {
        var chars = claim.ToLower(CultureInfo.InvariantCulture).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars);
    }
}
