using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.S3;

/// <summary>A policy with the name the decision log shows for it.</summary>
public sealed record NamedPolicy(string Name, PolicyDocument Document);

/// <summary>The policies a session is evaluated against: its role's inline policies (read from the database, kept for a few
/// seconds so an authorized request costs no query) and its session policy (parsed once per distinct document).</summary>
public sealed class S3Policies(IServiceScopeFactory scopes, TimeProvider clock)
{
    const int MaxCached = 4096;
    readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<NamedPolicy> Policies)> roles = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, PolicyDocument?> sessions = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<NamedPolicy>> OfRole(string roleId, TimeSpan keep, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (roles.TryGetValue(roleId, out var cached) && cached.Until > now) return cached.Policies;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var rows = await db.IamRolePolicies.AsNoTracking().Where(p => p.RoleId == roleId).OrderBy(p => p.PolicyName).ToListAsync(ct);
        var policies = new List<NamedPolicy>(rows.Count);
        foreach (var row in rows)
            if (PolicyDocument.TryParse(row.PolicyDocument, PolicyKind.Identity, out var doc, out _) && doc is not null)
                policies.Add(new NamedPolicy(row.PolicyName, doc));
        if (roles.Count > MaxCached) roles.Clear();
        roles[roleId] = (now + keep, policies);
        return policies;
    }

    /// <summary>The session policy; a document that does not parse allows nothing (a scope-down that cannot be read must not widen).</summary>
    public IReadOnlyList<NamedPolicy> OfSession(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        if (!sessions.TryGetValue(json, out var doc))
        {
            doc = PolicyDocument.TryParse(json, PolicyKind.Identity, out var parsed, out _) ? parsed : null;
            if (sessions.Count > MaxCached) sessions.Clear();
            sessions[json] = doc;
        }
        return [new NamedPolicy("session policy", doc ?? new PolicyDocument(PolicyDocument.CurrentVersion, null, []))];
    }
}
