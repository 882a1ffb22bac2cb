using Microsoft.EntityFrameworkCore;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.IamApi;

/// <summary>A role's permission policies (its inline policies, parsed), read per request so an edit takes effect at once.</summary>
public sealed class RolePolicies(PortalDb db)
{
    /// <summary>The role's policies, or null when the role no longer exists (its sessions then reach nothing).</summary>
    public async Task<IReadOnlyList<PolicyDocument>?> Of(string roleArn, CancellationToken ct)
    {
        var roleId = await db.IamRoles.AsNoTracking().Where(r => r.Arn == roleArn).Select(r => r.RoleId).FirstOrDefaultAsync(ct);
        if (roleId is null) return null;
        var documents = await db.IamRolePolicies.AsNoTracking().Where(p => p.RoleId == roleId).Select(p => p.PolicyDocument).ToListAsync(ct);
        var policies = new List<PolicyDocument>(documents.Count);
        foreach (var json in documents)
            if (PolicyDocument.TryParse(json, PolicyKind.Identity, out var policy, out _) && policy is not null) policies.Add(policy);
        return policies;
    }
}
