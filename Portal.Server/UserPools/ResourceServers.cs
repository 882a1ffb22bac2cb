using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>OAuth 2.0 resource servers of a pool and their custom scopes, which app clients name as <c>identifier/scope</c>.</summary>
public sealed class ResourceServers(PortalDb db)
{
    /// <summary>Cognito's quota of resource servers per user pool.</summary>
    public const int Limit = 25;

    /// <summary>The scopes every pool has without a resource server.</summary>
    public static readonly IReadOnlyList<string> StandardScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"];

    public async Task<ResourceServerRow> Get(string poolId, string? identifier, CancellationToken ct) =>
        await db.ResourceServers.FirstOrDefaultAsync(r => r.UserPoolId == poolId && r.Identifier == identifier, ct)
        ?? throw new ResourceNotFoundException($"Resource server {identifier} does not exist in user pool {poolId}.");

    public static List<ResourceServerScopeType> Scopes(ResourceServerRow row) =>
        JsonSerializer.Deserialize<List<ResourceServerScopeType>>(string.IsNullOrEmpty(row.Scopes) ? "[]" : row.Scopes, CognitoJson.Options) ?? [];

    /// <summary>Scope names are unique within a resource server.</summary>
    public static void SetScopes(ResourceServerRow row, IReadOnlyList<ResourceServerScopeType>? scopes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in scopes ?? [])
            if (!names.Add(s.ScopeName!))
                throw new InvalidParameterException($"Duplicate scope name {s.ScopeName} is not allowed in a resource server.", "scopes");
        row.Scopes = JsonSerializer.Serialize(scopes ?? [], CognitoJson.Options);
    }

    public static ResourceServerType Describe(ResourceServerRow row) => new()
    {
        UserPoolId = row.UserPoolId, Identifier = row.Identifier, Name = row.Name, Scopes = Scopes(row),
    };

    public static IEnumerable<string> FullNames(ResourceServerRow row) => Scopes(row).Select(s => $"{row.Identifier}/{s.ScopeName}");

    /// <summary>Every custom scope of the pool, as <c>identifier/scope</c>.</summary>
    public async Task<HashSet<string>> CustomScopes(string poolId, CancellationToken ct)
    {
        var rows = await db.ResourceServers.AsNoTracking().Where(r => r.UserPoolId == poolId).ToListAsync(ct);
        return rows.SelectMany(FullNames).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Scopes that no longer exist leave the app clients that allowed them (in the caller's unit of work).</summary>
    public async Task RemoveFromClients(string poolId, IReadOnlyCollection<string> removed, CancellationToken ct)
    {
        if (removed.Count == 0) return;
        foreach (var client in await db.AppClients.Where(c => c.UserPoolId == poolId).ToListAsync(ct))
        {
            var settings = AppClientStore.Read(client);
            if (settings.AllowedOAuthScopes?.Any(removed.Contains) != true) continue;
            AppClientStore.Write(client, settings with { AllowedOAuthScopes = settings.AllowedOAuthScopes.Where(s => !removed.Contains(s)).ToList() });
        }
    }
}
