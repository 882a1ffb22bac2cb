using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Server.Gateway.Alb;

/// <summary>What an ALB route's session holds: the route it belongs to, the user's claims (as the pool's userInfo
/// answered), the access token, when the session ends (the route's session timeout), and the refresh token with which
/// the route renews the access token when it expires (<see cref="AccessTokenExpiresAt"/>), as ALB does.</summary>
public sealed record AlbSession(string Route, string Sub, string ClaimsJson, string AccessToken, DateTimeOffset ExpiresAt,
    string? RefreshToken = null, DateTimeOffset? AccessTokenExpiresAt = null);

/// <summary>
/// The session cookie as ALB writes it: <c>AWSELBAuthSessionCookie-0</c>, <c>-1</c>, … (the name configurable), the
/// encrypted session split into shards of at most 4,000 characters so that each cookie stays under browsers' 4 KB, at
/// most four shards (ALB's 16 KB). Encrypted and authenticated with Data Protection, so it is opaque to the browser and
/// every instance sharing the key ring reads it.
/// </summary>
public sealed class AlbSessionCookies(IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public const string DefaultName = "AWSELBAuthSessionCookie";
    public const int ShardSize = 4000;
    public const int MaxShards = 4;
    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.Gateway.AlbSession");

    public string Protect(AlbSession session) =>
        Auth.Jwt.Base64Url(protector.Protect(JsonSerializer.SerializeToUtf8Bytes(session)));

    /// <summary>The session in the cookie, or null when there is none, it is not ours, of another route, or it has ended.</summary>
    public AlbSession? Unprotect(string? value, string route)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            var session = JsonSerializer.Deserialize<AlbSession>(protector.Unprotect(Auth.Jwt.FromBase64Url(value)));
            return session is not null && session.Route == route && session.ExpiresAt > clock.GetUtcNow() ? session : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The value split into shards of at most <see cref="ShardSize"/> characters.</summary>
    public static IReadOnlyList<string> Shard(string value)
    {
        var shards = new List<string>();
        for (var i = 0; i < value.Length; i += ShardSize) shards.Add(value.Substring(i, Math.Min(ShardSize, value.Length - i)));
        return shards;
    }

    /// <summary>The shards <c>{name}-0</c>, <c>{name}-1</c>, … joined, up to the first one missing; null without <c>-0</c>.</summary>
    public static string? Read(IRequestCookieCollection cookies, string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < MaxShards && cookies.TryGetValue($"{name}-{i}", out var shard); i++) sb.Append(shard);
        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Sets the session's shards and expires any higher shard the browser still holds from a larger session.
    /// False when the session is larger than four shards (nothing is written).</summary>
    public static bool Write(HttpContext http, string name, string value, CookieOptions options)
    {
        var shards = Shard(value);
        if (shards.Count > MaxShards) return false;
        for (var i = 0; i < shards.Count; i++) http.Response.Cookies.Append($"{name}-{i}", shards[i], options);
        for (var i = shards.Count; i < MaxShards; i++)
            if (http.Request.Cookies.ContainsKey($"{name}-{i}")) http.Response.Cookies.Delete($"{name}-{i}", options);
        return true;
    }

    /// <summary>Expires every shard the browser sent.</summary>
    public static void Clear(HttpContext http, string name, CookieOptions options)
    {
        for (var i = 0; i < MaxShards; i++)
            if (http.Request.Cookies.ContainsKey($"{name}-{i}")) http.Response.Cookies.Delete($"{name}-{i}", options);
    }
}
