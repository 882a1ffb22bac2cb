using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools;

/// <summary>What an identity pool keeps as JSON beside its columns: its login providers.</summary>
public sealed record IdentityPoolSettings
{
    public Dictionary<string, string>? SupportedLoginProviders { get; init; }
    public List<string>? OpenIdConnectProviderARNs { get; init; }
    public List<CognitoIdentityProvider>? CognitoIdentityProviders { get; init; }
    public List<string>? SamlProviderARNs { get; init; }
}

/// <summary>A pool's roles (SetIdentityPoolRoles).</summary>
public sealed record IdentityPoolRoles
{
    public Dictionary<string, string>? Roles { get; init; }
    public Dictionary<string, RoleMapping>? RoleMappings { get; init; }
}

/// <summary>A provider's principal tag map (SetPrincipalTagAttributeMap).</summary>
public sealed record PrincipalTagMap
{
    public bool? UseDefaults { get; init; }
    public Dictionary<string, string>? PrincipalTags { get; init; }
}

/// <summary>Identity pools: find (or answer Cognito's not-found), read and write their JSON parts, describe.</summary>
public sealed class IdentityPoolStore(PortalDb db, ConfigCache<IdentityPoolRow> cache)
{
    public DbSet<IdentityPoolRow> Pools => db.Set<IdentityPoolRow>();

    public async Task<IdentityPoolRow> Get(string? identityPoolId, CancellationToken ct) =>
        await Find(identityPoolId, ct) ?? throw NotFound(identityPoolId);

    public async Task<IdentityPoolRow?> Find(string? identityPoolId, CancellationToken ct) =>
        identityPoolId is null ? null : await Pools.FirstOrDefaultAsync(p => p.Id == identityPoolId, ct);

    /// <summary>The pool for the hot path (GetId, GetCredentialsForIdentity, GetOpenIdToken): an untracked row shared by
    /// this instance's calls for up to <see cref="ConfigCache{T}.Ttl"/>; never change it (writers use <see cref="Get"/>).</summary>
    public async Task<IdentityPoolRow> Cached(string? identityPoolId, CancellationToken ct) =>
        (identityPoolId is null ? null : await cache.Get(identityPoolId, c => Pools.AsNoTracking().FirstOrDefaultAsync(p => p.Id == identityPoolId, c), ct))
        ?? throw NotFound(identityPoolId);

    /// <summary>Says the pool changed (its settings, roles, principal tags, or its deletion): this instance's cached copy is
    /// forgotten now and again once the operation is committed.</summary>
    public async Task Changed(string identityPoolId, CancellationToken ct)
    {
        cache.Forget(identityPoolId);
        db.ConfigChanged(Storage.ChangeNotifications.IdentityPool, identityPoolId);
        await db.Work.AfterCommit(_ =>
        {
            cache.Forget(identityPoolId);
            return Task.CompletedTask;
        }, ct);
    }

    public static ResourceNotFoundException NotFound(string? identityPoolId) => new($"IdentityPool '{identityPoolId}' not found.");

    public static IdentityPoolSettings Settings(IdentityPoolRow row) => Read<IdentityPoolSettings>(row.Settings);
    public static IdentityPoolRoles Roles(IdentityPoolRow row) => Read<IdentityPoolRoles>(row.Roles);
    public static Dictionary<string, string> Tags(IdentityPoolRow row) => Read<Dictionary<string, string>>(row.Tags);
    public static Dictionary<string, PrincipalTagMap> PrincipalTags(IdentityPoolRow row) => Read<Dictionary<string, PrincipalTagMap>>(row.PrincipalTags);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, CognitoJson.Options);

    static T Read<T>(string json) where T : new() => JsonSerializer.Deserialize<T>(json, CognitoJson.Options) ?? new T();

    /// <summary>The pool as the IdentityPool shape (Create/Describe/UpdateIdentityPool answer it).</summary>
    public static IdentityPool Describe(IdentityPoolRow row) => Describe<IdentityPool>(row);

    /// <summary>The pool as one of the records of the IdentityPool shape.</summary>
    public static T Describe<T>(IdentityPoolRow row) where T : IdentityPool, new()
    {
        var s = Settings(row);
        return new T
        {
            IdentityPoolId = row.Id,
            IdentityPoolName = row.Name,
            AllowUnauthenticatedIdentities = row.AllowUnauthenticated,
            AllowClassicFlow = row.AllowClassicFlow,
            SupportedLoginProviders = s.SupportedLoginProviders ?? [],
            DeveloperProviderName = row.DeveloperProviderName,
            OpenIdConnectProviderARNs = s.OpenIdConnectProviderARNs ?? [],
            CognitoIdentityProviders = s.CognitoIdentityProviders ?? [],
            SamlProviderARNs = s.SamlProviderARNs ?? [],
            IdentityPoolTags = Tags(row),
        };
    }
}
