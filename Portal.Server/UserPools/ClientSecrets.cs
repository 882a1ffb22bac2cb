using System.Security.Cryptography;
using System.Text;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>An app client's secrets (at most two during a rotation, both valid): ids as Cognito writes them,
/// <c>{clientId}--{epoch milliseconds of creation}</c>.</summary>
public static class ClientSecrets
{
    public const int Limit = 2;

    public sealed record Secret(string Id, string Value, DateTimeOffset CreatedAt);

    public static string IdOf(string clientId, DateTimeOffset createdAt) => $"{clientId}--{createdAt.ToUnixTimeMilliseconds()}";

    /// <summary>The client's secrets, oldest first (none for a public client).</summary>
    public static IReadOnlyList<Secret> Of(AppClientRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var all = new List<Secret>(Limit);
        if (row.ClientSecret is { Length: > 0 } first)
        {
            var created = row.ClientSecretCreatedAt ?? row.CreatedAt;
            all.Add(new Secret(row.ClientSecretId ?? IdOf(row.ClientId, created), first, created));
        }
        if (row.SecondClientSecret is { Length: > 0 } second && row.SecondClientSecretId is { } id)
            all.Add(new Secret(id, second, row.SecondClientSecretCreatedAt ?? row.LastModifiedAt));
        return all;
    }

    /// <summary>True when <paramref name="presented"/> is one of the client's secrets (constant time for each).</summary>
    public static bool Matches(AppClientRow row, string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var given = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var s in Of(row)) match |= CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s.Value), given);
        return match;
    }
}
