using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>Reads and writes user pools: the row plus its settings document (a <see cref="UserPoolType"/>).</summary>
public sealed class UserPoolStore(PortalDb db, Ids ids, Testing.PoolClocks clocks, PoolConfigCache cache)
{
    public sealed record Pool(UserPoolRow Row, UserPoolType Settings);

    static readonly HashSet<string> SettingsMembers =
        typeof(UserPoolType).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    public async Task<Pool> Get(string? userPoolId, CancellationToken ct) =>
        await Find(userPoolId, ct) ?? throw ResourceNotFoundException.UserPool(userPoolId);

    public async Task<Pool?> Find(string? userPoolId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userPoolId)) return null;
        var row = await db.UserPools.FirstOrDefaultAsync(p => p.Id == userPoolId, ct);
        if (row is null) return null;
        // Testing mode: from here on the work reads this pool's clock.
        await clocks.Enter(db, row.Id, ct);
        return new Pool(row, Read(row));
    }

    /// <summary>The pool for the hot path (sign-in, refresh, the token endpoint, self-service): an untracked snapshot shared
    /// by this instance's requests (<see cref="PoolConfigCache"/>); never change it (writers use <see cref="Get"/>).</summary>
    public async Task<Pool> Cached(string? userPoolId, CancellationToken ct) =>
        await FindCached(userPoolId, ct) ?? throw ResourceNotFoundException.UserPool(userPoolId);

    /// <summary>As <see cref="Cached"/>, or null when there is no such pool.</summary>
    public async Task<Pool?> FindCached(string? userPoolId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userPoolId)) return null;
        var pool = await cache.Pools.Get(userPoolId, async c =>
            await db.UserPools.AsNoTracking().FirstOrDefaultAsync(p => p.Id == userPoolId, c) is { } row ? new Pool(row, Read(row)) : null, ct);
        if (pool is null) return null;
        db.KnowSignInAttributes(pool.Row.Id, pool.Settings.UsernameAttributes, pool.Settings.AliasAttributes);
        await clocks.Enter(db, pool.Row.Id, ct);
        return pool;
    }

    public static UserPoolType Read(UserPoolRow row) =>
        JsonSerializer.Deserialize<UserPoolType>(row.Settings, CognitoJson.Options) ?? new UserPoolType();

    /// <summary>Writes the settings document. Members other services keep beside the <see cref="UserPoolType"/> ones
    /// (e.g. the MFA factors of SetUserPoolMfaConfig) survive; each write moves the row's concurrency version.</summary>
    public static void Write(UserPoolRow row, UserPoolType settings)
    {
        var document = JsonSerializer.SerializeToNode(settings with
        {
            // Facts kept in columns are not duplicated in the document.
            Id = null,
            Name = null,
            CreationDate = null,
            LastModifiedDate = null,
            EstimatedNumberOfUsers = null,
            Arn = null,
            Domain = null,
            CustomDomain = null,
            UserPoolTags = null,
            DeletionProtection = null,
        }, CognitoJson.Options)!.AsObject();
        foreach (var (name, value) in Extras(row))
            document[name] = value?.DeepClone();
        row.Settings = document.ToJsonString(CognitoJson.Options);
        row.Version++;
    }

    /// <summary>The members of the settings document that are not <see cref="UserPoolType"/> members.</summary>
    public static JsonObject Extras(UserPoolRow row)
    {
        var extras = new JsonObject();
        if (JsonNode.Parse(string.IsNullOrEmpty(row.Settings) ? "{}" : row.Settings) is JsonObject stored)
            foreach (var (name, value) in stored)
                if (!SettingsMembers.Contains(name)) extras[name] = value?.DeepClone();
        return extras;
    }

    public static Dictionary<string, string> Tags(UserPoolRow row) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(string.IsNullOrEmpty(row.Tags) ? "{}" : row.Tags) ?? [];

    public static void SetTags(UserPoolRow row, IReadOnlyDictionary<string, string> tags)
    {
        row.Tags = JsonSerializer.Serialize(tags);
        row.Version++;
    }

    /// <summary>Saves the unit of work; a concurrent edit of the same pool is Cognito's ConcurrentModificationException.</summary>
    public async Task Save(CancellationToken ct)
    {
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            throw ConcurrentModificationException.UserPool();
        }
    }

    /// <summary>The pool as DescribeUserPool answers it.</summary>
    public async Task<UserPoolType> Describe(UserPoolRow row, CancellationToken ct)
    {
        var settings = Read(row);
        var users = await db.Users.CountAsync(u => u.UserPoolId == row.Id, ct);
        var domains = await db.Domains.AsNoTracking().Where(d => d.UserPoolId == row.Id).ToListAsync(ct);
        return settings with
        {
            Id = row.Id,
            Name = row.Name,
            Arn = ids.UserPoolArn(row.Id),
            CreationDate = row.CreatedAt,
            LastModifiedDate = row.LastModifiedAt,
            EstimatedNumberOfUsers = users,
            Domain = domains.FirstOrDefault(d => !UserPoolDomains.IsCustom(d))?.Domain,
            CustomDomain = domains.FirstOrDefault(UserPoolDomains.IsCustom)?.Domain,
            DeletionProtection = row.DeletionProtection ? "ACTIVE" : "INACTIVE",
            UserPoolTags = Tags(row),
        };
    }
}
