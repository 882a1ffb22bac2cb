using System.Collections.Concurrent;
using Portal.Server.Iam;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.S3;

/// <summary>The policies a session is evaluated against, through the shared loader (<see cref="RolePermissions"/>): its
/// role's identity policies and boundary, and its session policies (inline and managed), kept for a few seconds so an
/// authorized request costs no query.</summary>
public sealed class S3Policies(IServiceScopeFactory scopes, TimeProvider clock)
{
    const int MaxCached = 4096;
    static readonly RolePolicySet Gone = new([], null);
    readonly ConcurrentDictionary<string, (DateTimeOffset Until, RolePolicySet Policies)> roles = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<NamedPolicy> Policies)> sessions = new(StringComparer.Ordinal);

    /// <summary>Forgets every cached policy set (a role or policy changed, here or on another instance).</summary>
    public void Clear()
    {
        roles.Clear();
        sessions.Clear();
    }

    /// <summary>The role's policies; a role that no longer exists allows nothing.</summary>
    public async ValueTask<RolePolicySet> OfRole(string roleId, TimeSpan keep, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (roles.TryGetValue(roleId, out var cached) && cached.Until > now) return cached.Policies;
        await using var scope = scopes.CreateAsyncScope();
        var policies = await RolePermissions.Load(scope.ServiceProvider.GetRequiredService<PortalDb>(), roleId, null, ct) ?? Gone;
        if (roles.Count > MaxCached) roles.Clear();
        roles[roleId] = (now + keep, policies);
        return policies;
    }

    /// <summary>The session policies: the inline one (a document that does not parse allows nothing) and the managed ones.</summary>
    public async ValueTask<IReadOnlyList<NamedPolicy>> OfSession(string? json, IReadOnlyList<string>? arns, TimeSpan keep, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(json) && arns is not { Count: > 0 }) return [];
        var key = (json ?? "") + "\n" + string.Join('\n', arns ?? []);
        var now = clock.GetUtcNow();
        if (sessions.TryGetValue(key, out var cached) && cached.Until > now) return cached.Policies;
        await using var scope = scopes.CreateAsyncScope();
        var policies = await RolePermissions.Session(scope.ServiceProvider.GetRequiredService<PortalDb>(), json, arns, ct);
        if (sessions.Count > MaxCached) sessions.Clear();
        sessions[key] = (now + keep, policies);
        return policies;
    }
}
