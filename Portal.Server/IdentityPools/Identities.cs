using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools;

/// <summary>
/// Identities and their logins. A login (pool, provider, user id) belongs to one identity at most — the table's primary
/// key says so, never a read before the insert.
/// Linking a login that another identity holds merges that identity as Cognito does: the identity the caller named
/// survives, except a guest, which is merged into the authenticated identity that holds the login. An identity holds one
/// login per provider, developer user identifiers excepted (merged developer identities keep all of theirs).
/// </summary>
public sealed class Identities(PortalDb db, IdentityIds ids, TimeProvider clock, Sync.Push.PushOutbox push)
{
    public DbSet<IdentityRow> Rows => db.Set<IdentityRow>();
    public DbSet<IdentityLoginRow> LoginRows => db.Set<IdentityLoginRow>();

    public static ResourceNotFoundException NotFound(string? identityId) => new($"Identity '{identityId}' not found.");

    public async Task<IdentityRow> Get(string? identityId, CancellationToken ct) =>
        await Rows.FirstOrDefaultAsync(i => i.Id == identityId, ct) ?? throw NotFound(identityId);

    public Task<List<IdentityLoginRow>> LoginsOf(string identityId, CancellationToken ct) =>
        LoginRows.Where(l => l.IdentityId == identityId).OrderBy(l => l.LinkedAt).ToListAsync(ct);

    public async Task<IdentityDescription> Describe(IdentityRow row, CancellationToken ct) => new()
    {
        IdentityId = row.Id,
        Logins = (await LoginsOf(row.Id, ct)).Select(l => l.Provider).ToList(),
        CreationDate = row.CreatedAt,
        LastModifiedDate = row.LastModifiedAt,
    };

    /// <summary>The identity a set of logins names (GetId, developer logins): the one holding them, a merge of those
    /// holding them, or a new one holding them all.</summary>
    public async Task<IdentityRow> ForLogins(string identityPoolId, IReadOnlyList<(string Provider, string LoginId)> logins, string? developerProvider, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var owners = await Owners(identityPoolId, logins, ct);
            if (owners.Count > 0)
            {
                var survivor = owners.Values.Distinct().Count() == 1
                    ? await Get(owners.Values.First(), ct)
                    : await Rows.Where(i => owners.Values.Contains(i.Id)).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).FirstAsync(ct);
                return await Link(survivor, logins, developerProvider, ct);
            }
            var now = clock.GetUtcNow();
            var identity = new IdentityRow { Id = ids.NewIdentityId(), IdentityPoolId = identityPoolId, CreatedAt = now, LastModifiedAt = now };
            Rows.Add(identity);
            var rows = logins.Select(l => new IdentityLoginRow
            {
                IdentityPoolId = identityPoolId, Provider = l.Provider, LoginId = l.LoginId, IdentityId = identity.Id, LinkedAt = now,
            }).ToList();
            LoginRows.AddRange(rows);
            try
            {
                await db.SaveChangesAsync(ct);
                return identity;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request linked one of these logins first (EF rolled back to its savepoint): use its identity.
                db.Entry(identity).State = EntityState.Detached;
                foreach (var row in rows) db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    /// <summary>A new guest identity of the pool.</summary>
    public async Task<IdentityRow> NewGuest(string identityPoolId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var identity = new IdentityRow { Id = ids.NewIdentityId(), IdentityPoolId = identityPoolId, CreatedAt = now, LastModifiedAt = now };
        Rows.Add(identity);
        await db.SaveChangesAsync(ct);
        return identity;
    }

    /// <summary>Links the logins to <paramref name="identity"/>, merging identities that hold any of them; answers the
    /// identity that holds them all afterwards (another one when <paramref name="identity"/> was a guest merged away).</summary>
    public async Task<IdentityRow> Link(IdentityRow identity, IReadOnlyList<(string Provider, string LoginId)> logins, string? developerProvider, CancellationToken ct)
    {
        var owners = await Owners(identity.IdentityPoolId, logins, ct);
        var others = owners.Values.Where(o => o != identity.Id).Distinct().ToList();
        var target = identity;
        if (others.Count > 0 && (await LoginsOf(identity.Id, ct)).Count == 0)
        {
            // A guest signing in with a login another identity holds becomes that identity.
            target = await Rows.Where(i => others.Contains(i.Id)).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).FirstAsync(ct);
            await Merge(identity, target, developerProvider, ct);
            others.Remove(target.Id);
        }
        foreach (var other in others) await Merge(await Get(other, ct), target, developerProvider, ct);

        // The common case, an identity presenting the login it holds, reads and writes nothing more.
        if (target == identity && others.Count == 0 && logins.All(l => owners.ContainsKey($"{l.Provider}|{l.LoginId}"))) return target;
        var held = await LoginsOf(target.Id, ct);
        var now = clock.GetUtcNow();
        foreach (var (provider, loginId) in logins)
        {
            if (held.Any(h => h.Provider == provider && h.LoginId == loginId)) continue;
            if (provider != developerProvider && held.Any(h => h.Provider == provider))
                throw new ResourceConflictException($"The identity is already linked to another login of {provider}.");
            var row = new IdentityLoginRow
            {
                IdentityPoolId = target.IdentityPoolId, Provider = provider, LoginId = loginId, IdentityId = target.Id, LinkedAt = now,
            };
            LoginRows.Add(row);
            held.Add(row);
        }
        target.LastModifiedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ResourceConflictException("A login was linked to another identity at the same time; try again.");
        }
        return target;
    }

    /// <summary>Moves every login of <paramref name="source"/> to <paramref name="target"/> and deletes the source.</summary>
    public async Task Merge(IdentityRow source, IdentityRow target, string? developerProvider, CancellationToken ct)
    {
        if (source.Id == target.Id) return;
        var from = await LoginsOf(source.Id, ct);
        var into = await LoginsOf(target.Id, ct);
        foreach (var login in from)
            if (login.Provider != developerProvider && into.Any(i => i.Provider == login.Provider && i.LoginId != login.LoginId))
                throw new ResourceConflictException($"The identities cannot be merged: both hold a login of {login.Provider}.");
        // The login's key is its primary key: move it by removing and adding.
        foreach (var login in from)
        {
            LoginRows.Remove(login);
            await db.SaveChangesAsync(ct);
            LoginRows.Add(new IdentityLoginRow
            {
                IdentityPoolId = login.IdentityPoolId, Provider = login.Provider, LoginId = login.LoginId, IdentityId = target.Id, LinkedAt = login.LinkedAt,
            });
        }
        // The merged identity's Cognito Sync datasets move to the survivor as Cognito names them (Sync/SyncMerge).
        await Sync.SyncMerge.Datasets(db, push, source.Id, target.Id, clock.GetUtcNow(), ct);
        Rows.Remove(source);
        target.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Which identity holds each of the logins (provider|loginId → identity id).</summary>
    async Task<Dictionary<string, string>> Owners(string identityPoolId, IReadOnlyList<(string Provider, string LoginId)> logins, CancellationToken ct)
    {
        if (logins is [var (provider, loginId)])
        {
            // One login (most calls): its primary key, looked up by equality.
            var owner = await LoginRows.Where(l => l.IdentityPoolId == identityPoolId && l.Provider == provider && l.LoginId == loginId)
                .Select(l => l.IdentityId).FirstOrDefaultAsync(ct);
            return owner is null ? [] : new Dictionary<string, string> { [$"{provider}|{loginId}"] = owner };
        }
        var providers = logins.Select(l => l.Provider).Distinct().ToList();
        var loginIds = logins.Select(l => l.LoginId).Distinct().ToList();
        var rows = await LoginRows.Where(l => l.IdentityPoolId == identityPoolId && providers.Contains(l.Provider) && loginIds.Contains(l.LoginId))
            .ToListAsync(ct);
        return rows.Where(r => logins.Contains((r.Provider, r.LoginId))).ToDictionary(r => $"{r.Provider}|{r.LoginId}", r => r.IdentityId);
    }
}
