using Microsoft.EntityFrameworkCore;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Iam;

/// <summary>A policy with the name the decision log and the simulator show for it (an inline policy's name, a managed
/// policy's ARN), and where it comes from (IAM's PolicySourceType: <c>role</c> for inline, <c>user-managed</c>).</summary>
public sealed record NamedPolicy(string Name, PolicyDocument Document, string SourceType = "role");

/// <summary>What a role's session may do, before its session policies: the role's identity policies (inline and the
/// default versions of its attached managed policies) and its permissions boundary (null: none).</summary>
public sealed record RolePolicySet(IReadOnlyList<NamedPolicy> Identity, NamedPolicy? Boundary)
{
    /// <summary>AWS's evaluation: identity policies ∩ permissions boundary ∩ session policies, any explicit Deny winning.
    /// An empty <paramref name="session"/> list means the session has no session policy.</summary>
    public Evaluation Evaluate(IReadOnlyList<NamedPolicy> session, RequestContext request) =>
        PolicyEvaluator.Evaluate(Identity.Select(p => p.Document), [.. session.Select(p => p.Document)],
            Boundary is null ? null : [Boundary.Document], request);

    /// <summary>The policy whose statement decided <paramref name="evaluation"/> (null for an implicit deny).</summary>
    public NamedPolicy? DecidedBy(Evaluation evaluation, IReadOnlyList<NamedPolicy> session) =>
        Identity.Concat(session).Concat(Boundary is null ? [] : [Boundary]).FirstOrDefault(p => ReferenceEquals(p.Document, evaluation.Policy));
}

/// <summary>
/// The one loader of "the policies of a role", used by every place that decides or simulates a role's request (the S3
/// route, IAM-authorized API routes, SimulatePrincipalPolicy and the policy simulator page). A document that no longer
/// parses is left out of the identity policies (it allows nothing) but, as a boundary or a session policy, becomes a
/// policy that allows nothing: a limit that cannot be read must not widen.
/// </summary>
public static class RolePermissions
{
    static readonly PolicyDocument Nothing = new(PolicyDocument.CurrentVersion, null, []);

    /// <summary>The role's policies by its id or ARN; null when the role no longer exists.</summary>
    public static async Task<RolePolicySet?> Load(PortalDb db, string? roleId, string? roleArn, CancellationToken ct)
    {
        var roles = db.IamRoles.AsNoTracking();
        var role = await (roleId is not null ? roles.Where(r => r.RoleId == roleId) : roles.Where(r => r.Arn == roleArn))
            .Select(r => new { r.RoleId, r.PermissionsBoundaryArn }).FirstOrDefaultAsync(ct);
        if (role is null) return null;
        var inline = await db.IamRolePolicies.AsNoTracking().Where(p => p.RoleId == role.RoleId).OrderBy(p => p.PolicyName)
            .Select(p => new { p.PolicyName, p.PolicyDocument }).ToListAsync(ct);
        var managed = await (from a in db.IamRolePolicyAttachments.AsNoTracking()
                             where a.RoleId == role.RoleId
                             join p in db.IamManagedPolicies.AsNoTracking() on a.PolicyId equals p.PolicyId
                             join v in db.IamPolicyVersions.AsNoTracking() on new { p.PolicyId, VersionId = p.DefaultVersionId } equals new { v.PolicyId, v.VersionId }
                             orderby p.PolicyNameKey
                             select new { p.Arn, v.Document }).ToListAsync(ct);
        var identity = new List<NamedPolicy>(inline.Count + managed.Count);
        foreach (var p in inline)
            if (Parse(p.PolicyDocument) is { } doc) identity.Add(new NamedPolicy(p.PolicyName, doc));
        foreach (var p in managed)
            if (Parse(p.Document) is { } doc) identity.Add(new NamedPolicy(p.Arn, doc, "user-managed"));
        NamedPolicy? boundary = null;
        if (role.PermissionsBoundaryArn is { } boundaryArn)
            boundary = new NamedPolicy(boundaryArn, (await Managed(db, [boundaryArn], ct))[0].Document, "user-managed");
        return new RolePolicySet(identity, boundary);
    }

    /// <summary>The default versions of managed policies by ARN, in the order given (managed session policies, a
    /// boundary); a policy that no longer exists becomes one that allows nothing.</summary>
    public static async Task<IReadOnlyList<NamedPolicy>> Managed(PortalDb db, IReadOnlyList<string> arns, CancellationToken ct)
    {
        if (arns.Count == 0) return [];
        var found = await (from p in db.IamManagedPolicies.AsNoTracking()
                           where arns.Contains(p.Arn)
                           join v in db.IamPolicyVersions.AsNoTracking() on new { p.PolicyId, VersionId = p.DefaultVersionId } equals new { v.PolicyId, v.VersionId }
                           select new { p.Arn, v.Document }).ToDictionaryAsync(p => p.Arn, p => p.Document, StringComparer.Ordinal, ct);
        return [.. arns.Select(arn => new NamedPolicy(arn, found.TryGetValue(arn, out var json) && Parse(json) is { } doc ? doc : Nothing, "user-managed"))];
    }

    /// <summary>A session's policies: its inline session policy and its managed session policies (PolicyArns).</summary>
    public static async Task<IReadOnlyList<NamedPolicy>> Session(PortalDb db, string? inline, IReadOnlyList<string>? arns, CancellationToken ct)
    {
        var policies = new List<NamedPolicy>();
        if (!string.IsNullOrEmpty(inline)) policies.Add(new NamedPolicy("session policy", Parse(inline) ?? Nothing, "none"));
        if (arns is { Count: > 0 }) policies.AddRange(await Managed(db, arns, ct));
        return policies;
    }

    static PolicyDocument? Parse(string json) =>
        PolicyDocument.TryParse(json, PolicyKind.Identity, out var doc, out _) ? doc : null;
}
