using Portal.Server.Iam;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.IamApi;

/// <summary>A session's policies for IAM-authorized routes, read per request through the shared loader
/// (<see cref="RolePermissions"/>) so an edit takes effect at once.</summary>
public sealed class RolePolicies(PortalDb db)
{
    /// <summary>The role's policies and boundary, or null when the role no longer exists (its sessions then reach nothing).</summary>
    public Task<RolePolicySet?> Of(string roleArn, CancellationToken ct) => RolePermissions.Load(db, null, roleArn, ct);

    /// <summary>The session's inline and managed session policies.</summary>
    public Task<IReadOnlyList<NamedPolicy>> OfSession(string? inline, IReadOnlyList<string>? arns, CancellationToken ct) =>
        RolePermissions.Session(db, inline, arns, ct);
}
