using System.Collections.Concurrent;
using Portal.Server.Iam;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.S3;

/// <summary>The policies a session is evaluated against, through the shared loader (<see cref="RolePermissions"/>): its
/// role's identity policies and boundary, and its session policies (inline and managed), kept for a few seconds so an
/// authorized request costs no query. Used by the S3 route (by role id) and Cognito Sync's identity calls (by role ARN).
/// A change of a role's policies through this instance forgets them all at once and again at its commit
/// (<see cref="Changed"/>, called by the IAM operations); other instances forget them on the change notification
/// (<see cref="ChangeNotifications"/>), and an entry lives <c>keep</c> at most.</summary>
public sealed class S3Policies(IServiceScopeFactory scopes, TimeProvider clock)
{
    const int MaxCached = 4096;
    static readonly RolePolicySet Gone = new([], null);
    readonly ConcurrentDictionary<string, (DateTimeOffset Until, RolePolicySet Policies)> roles = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<NamedPolicy> Policies)> sessions = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    long generation;

    /// <summary>Forgets every cached policy set (a role or policy changed, here or on another instance).</summary>
    public void Clear()
    {
        lock (gate)
        {
            generation++;
            roles.Clear();
            sessions.Clear();
        }
    }

    /// <summary>Says a role's policies (inline, attached, a managed policy's default version, its boundary) or the role
    /// itself changed in this unit of work: forgotten here now and once it commits; other instances hear of it with the
    /// save made here.</summary>
    public static async Task Changed(PortalDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The save forgets them here now and at the commit, and notifies the other instances (ChangeNotifications.ForgetHere).
        db.ConfigChanged(ChangeNotifications.RolePolicies, "");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The role's policies by its id; a role that no longer exists allows nothing.</summary>
    public ValueTask<RolePolicySet> OfRole(string roleId, TimeSpan keep, CancellationToken ct) => Of(roleId, roleId, null, keep, ct);

    /// <summary>The role's policies by its ARN; a role that no longer exists allows nothing.</summary>
    public ValueTask<RolePolicySet> OfRoleArn(string roleArn, TimeSpan keep, CancellationToken ct) => Of(roleArn, null, roleArn, keep, ct);

    async ValueTask<RolePolicySet> Of(string key, string? roleId, string? roleArn, TimeSpan keep, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (roles.TryGetValue(key, out var cached) && cached.Until > now) return cached.Policies;
        var before = Interlocked.Read(ref generation);
        await using var scope = scopes.CreateAsyncScope();
        var policies = await RolePermissions.Load(scope.ServiceProvider.GetRequiredService<PortalDb>(), roleId, roleArn, ct) ?? Gone;
        Keep(roles, key, (now + keep, policies), before);
        return policies;
    }

    /// <summary>The session policies: the inline one (a document that does not parse allows nothing) and the managed ones.</summary>
    public async ValueTask<IReadOnlyList<NamedPolicy>> OfSession(string? json, IReadOnlyList<string>? arns, TimeSpan keep, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(json) && arns is not { Count: > 0 }) return [];
        var key = (json ?? "") + "\n" + string.Join('\n', arns ?? []);
        var now = clock.GetUtcNow();
        if (sessions.TryGetValue(key, out var cached) && cached.Until > now) return cached.Policies;
        var before = Interlocked.Read(ref generation);
        await using var scope = scopes.CreateAsyncScope();
        var policies = await RolePermissions.Session(scope.ServiceProvider.GetRequiredService<PortalDb>(), json, arns, ct);
        Keep(sessions, key, (now + keep, policies), before);
        return policies;
    }

    /// <summary>Keeps what was read, unless something was forgotten while it was read (it may be the old value: used for
    /// this call, not kept).</summary>
    void Keep<T>(ConcurrentDictionary<string, T> entries, string key, T entry, long before)
    {
        lock (gate)
        {
            if (generation != before) return;
            if (entries.Count > MaxCached) entries.Clear();
            entries[key] = entry;
        }
    }
}
