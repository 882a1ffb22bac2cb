using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>Opaque list tokens for keyset paging: the sort key of a page's last item, bound to the query (operation,
/// pool, filter) that produced it, so a token replayed against another pool or filter is refused instead of
/// continuing a different listing. The next page is always re-queried with the request's own pool and filter.</summary>
public static class PaginationToken
{
    const string Invalid = "Paging Marker is Invalid for Request";

    public static string Create(string scope, params string?[] keys) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Body(Bind(scope), keys)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The keys of a token made by <see cref="Create"/> for the same scope; null when there is no token.</summary>
    public static string?[]? Read(string? token, string scope, int keyCount)
    {
        if (token is null) return null;
        Body? body;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            body = JsonSerializer.Deserialize<Body>(Convert.FromBase64String(b64));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidParameterException(Invalid);
        }
        if (body?.Q != Bind(scope) || body.K is null || body.K.Length != keyCount || body.K.Any(k => k is null))
            throw new InvalidParameterException(Invalid);
        return body.K;
    }

    static string Bind(string scope) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(scope)), 0, 12);

    sealed record Body(string Q, string?[] K);
}
