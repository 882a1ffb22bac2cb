using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Iam.Operations;

// IAM's role operations. Names are unique regardless of case (a unique index on RoleNameKey decides a race).

sealed class CreateRole(IamStore iam, TimeProvider clock) : IOperation<CreateRoleRequest, CreateRoleResponse>
{
    public async Task<CreateRoleResponse> Handle(CreateRoleRequest request, CancellationToken ct)
    {
        IamStore.ValidatePolicy(request.AssumeRolePolicyDocument, PolicyKind.Trust);
        if (IamStore.SizeWithoutWhitespace(request.AssumeRolePolicyDocument!) > IamStore.MaxTrustPolicySize)
            throw new IamLimitExceededException($"Cannot exceed quota for ACLSizePerRole: {IamStore.MaxTrustPolicySize}");
        IamStore.ValidateTags(request.Tags);
        if (request.PermissionsBoundary is not null)
            await ManagedPolicies.Find(iam, request.PermissionsBoundary, ct, NoBoundary);
        var path = request.Path ?? "/";
        var key = IamStore.NameKey(request.RoleName!);
        if (await iam.Db.IamRoles.AnyAsync(r => r.RoleNameKey == key, ct))
            throw new EntityAlreadyExistsException($"Role with name {request.RoleName} already exists.");
        var row = new IamRoleRow
        {
            RoleId = IamStore.NewRoleId(),
            RoleName = request.RoleName!,
            RoleNameKey = key,
            Path = path,
            Arn = iam.RoleArn(path, request.RoleName!),
            AssumeRolePolicyDocument = request.AssumeRolePolicyDocument!,
            Description = request.Description,
            MaxSessionDuration = request.MaxSessionDuration ?? 3600,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds()),
            Tags = IamStore.TagsJson(request.Tags),
            PermissionsBoundaryArn = request.PermissionsBoundary,
        };
        iam.Db.IamRoles.Add(row);
        iam.Acted(row.Arn);
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request created the name between the check and the insert (the unique index decided), or the
            // boundary policy was deleted at the same moment (the foreign key decided).
            if (request.PermissionsBoundary is not null && !await iam.Db.IamManagedPolicies.AnyAsync(p => p.Arn == request.PermissionsBoundary, ct))
                throw NoBoundary(request.PermissionsBoundary);
            throw new EntityAlreadyExistsException($"Role with name {request.RoleName} already exists.");
        }
        var role = IamStore.ToRole(row, detailed: false) with
        {
            Tags = request.Tags is { Count: > 0 } ? request.Tags : null,
            PermissionsBoundary = IamStore.ToRole(row, detailed: true).PermissionsBoundary,
        };
        return new CreateRoleResponse { Role = role };
    }

    /// <summary>IAM's answer for a boundary that names no managed policy.</summary>
    public static Exception NoBoundary(string arn) => new NoSuchEntityException($"Scope ARN: {arn} does not exist or is not attachable.");
}

sealed class GetRole(IamStore iam) : IOperation<GetRoleRequest, GetRoleResponse>
{
    public async Task<GetRoleResponse> Handle(GetRoleRequest request, CancellationToken ct) =>
        new() { Role = IamStore.ToRole(await iam.Role(request.RoleName, ct), detailed: true) };
}

sealed class ListRoles(IamStore iam) : IOperation<ListRolesRequest, ListRolesResponse>
{
    public async Task<ListRolesResponse> Handle(ListRolesRequest request, CancellationToken ct)
    {
        var after = IamStore.AfterKey(request.Marker);
        var prefix = request.PathPrefix ?? "/";
        var q = iam.Db.IamRoles.AsNoTracking().Where(r => r.Path.StartsWith(prefix));
        if (after is not null) q = q.Where(r => r.RoleNameKey.CompareTo(after) > 0);
        var rows = await q.OrderBy(r => r.RoleNameKey).Take((request.MaxItems ?? 100) + 1).ToListAsync(ct);
        var (page, next) = IamStore.Page(rows, request.MaxItems, r => r.RoleNameKey);
        return new ListRolesResponse { Roles = [.. page.Select(r => IamStore.ToRole(r, detailed: false))], IsTruncated = next is not null, Marker = next };
    }
}

sealed class DeleteRole(IamStore iam) : IOperation<DeleteRoleRequest, DeleteRoleResponse>
{
    public async Task<DeleteRoleResponse> Handle(DeleteRoleRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        if (await iam.Db.IamRolePolicies.AnyAsync(p => p.RoleId == role.RoleId, ct))
            throw new DeleteConflictException("Cannot delete entity, must delete policies first.");
        if (await iam.Db.IamRolePolicyAttachments.AnyAsync(a => a.RoleId == role.RoleId, ct))
            throw new DeleteConflictException("Cannot delete entity, must detach all policies first.");
        await iam.Db.IamRoles.Where(r => r.RoleId == role.RoleId).ExecuteDeleteAsync(ct);
        await Portal.Server.Sts.TrustedRole.Changed(iam.Db, role.Arn, ct);
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new DeleteRoleResponse();
    }
}

sealed class UpdateAssumeRolePolicy(IamStore iam) : IOperation<UpdateAssumeRolePolicyRequest, UpdateAssumeRolePolicyResponse>
{
    public async Task<UpdateAssumeRolePolicyResponse> Handle(UpdateAssumeRolePolicyRequest request, CancellationToken ct)
    {
        IamStore.ValidatePolicy(request.PolicyDocument, PolicyKind.Trust);
        if (IamStore.SizeWithoutWhitespace(request.PolicyDocument!) > IamStore.MaxTrustPolicySize)
            throw new IamLimitExceededException($"Cannot exceed quota for ACLSizePerRole: {IamStore.MaxTrustPolicySize}");
        var role = await iam.Role(request.RoleName, ct, tracked: true);
        role.AssumeRolePolicyDocument = request.PolicyDocument!;
        await Portal.Server.Sts.TrustedRole.Changed(iam.Db, role.Arn, ct);
        await iam.Db.SaveChangesAsync(ct);
        return new UpdateAssumeRolePolicyResponse();
    }
}

sealed class PutRolePolicy(IamStore iam) : IOperation<PutRolePolicyRequest, PutRolePolicyResponse>
{
    public async Task<PutRolePolicyResponse> Handle(PutRolePolicyRequest request, CancellationToken ct)
    {
        IamStore.ValidatePolicy(request.PolicyDocument, PolicyKind.Identity);
        var role = await iam.Role(request.RoleName, ct);
        var others = await iam.Db.IamRolePolicies.AsNoTracking().Where(p => p.RoleId == role.RoleId && p.PolicyName != request.PolicyName)
            .Select(p => p.PolicyDocument).ToListAsync(ct);
        if (others.Sum(IamStore.SizeWithoutWhitespace) + IamStore.SizeWithoutWhitespace(request.PolicyDocument!) > IamStore.MaxInlinePolicySize)
            throw new IamLimitExceededException($"Maximum policy size of {IamStore.MaxInlinePolicySize} bytes exceeded for role {role.RoleName}");
        // Put replaces: an update when the name exists, else an insert (the primary key decides a race).
        var updated = await iam.Db.IamRolePolicies.Where(p => p.RoleId == role.RoleId && p.PolicyName == request.PolicyName)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.PolicyDocument, request.PolicyDocument!), ct);
        if (updated == 0)
        {
            iam.Db.IamRolePolicies.Add(new IamRolePolicyRow { RoleId = role.RoleId, PolicyName = request.PolicyName!, PolicyDocument = request.PolicyDocument! });
            try
            {
                await iam.Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new Portal.Client.Contract.ConcurrentModificationException("The role policy was changed by another request; try again.");
            }
        }
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new PutRolePolicyResponse();
    }
}

sealed class GetRolePolicy(IamStore iam) : IOperation<GetRolePolicyRequest, GetRolePolicyResponse>
{
    public async Task<GetRolePolicyResponse> Handle(GetRolePolicyRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var policy = await iam.Db.IamRolePolicies.AsNoTracking().FirstOrDefaultAsync(p => p.RoleId == role.RoleId && p.PolicyName == request.PolicyName, ct)
                     ?? throw new NoSuchEntityException($"The role policy with name {request.PolicyName} cannot be found.");
        return new GetRolePolicyResponse { RoleName = role.RoleName, PolicyName = policy.PolicyName, PolicyDocument = policy.PolicyDocument };
    }
}

sealed class ListRolePolicies(IamStore iam) : IOperation<ListRolePoliciesRequest, ListRolePoliciesResponse>
{
    public async Task<ListRolePoliciesResponse> Handle(ListRolePoliciesRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var after = IamStore.AfterKey(request.Marker);
        var q = iam.Db.IamRolePolicies.AsNoTracking().Where(p => p.RoleId == role.RoleId);
        if (after is not null) q = q.Where(p => p.PolicyName.CompareTo(after) > 0);
        var names = await q.OrderBy(p => p.PolicyName).Select(p => p.PolicyName).Take((request.MaxItems ?? 100) + 1).ToListAsync(ct);
        var (page, next) = IamStore.Page(names, request.MaxItems, n => n);
        return new ListRolePoliciesResponse { PolicyNames = page, IsTruncated = next is not null, Marker = next };
    }
}

sealed class DeleteRolePolicy(IamStore iam) : IOperation<DeleteRolePolicyRequest, DeleteRolePolicyResponse>
{
    public async Task<DeleteRolePolicyResponse> Handle(DeleteRolePolicyRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var deleted = await iam.Db.IamRolePolicies.Where(p => p.RoleId == role.RoleId && p.PolicyName == request.PolicyName).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new NoSuchEntityException($"The role policy with name {request.PolicyName} cannot be found.");
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new DeleteRolePolicyResponse();
    }
}

sealed class TagRole(IamStore iam) : IOperation<TagRoleRequest, TagRoleResponse>
{
    public async Task<TagRoleResponse> Handle(TagRoleRequest request, CancellationToken ct)
    {
        IamStore.ValidateTags(request.Tags);
        var role = await iam.Role(request.RoleName, ct, tracked: true);
        // A key already there takes the new value (keys compare regardless of case), others are added in order.
        var tags = IamStore.Tags(role.Tags);
        foreach (var tag in request.Tags!)
        {
            var at = tags.FindIndex(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase));
            if (at >= 0) tags[at] = tag;
            else tags.Add(tag);
        }
        if (tags.Count > IamStore.MaxTags) throw new IamLimitExceededException($"The number of tags has reached the maximum limit of {IamStore.MaxTags}.");
        role.Tags = IamStore.TagsJson(tags);
        await iam.Db.SaveChangesAsync(ct);
        return new TagRoleResponse();
    }
}

sealed class UntagRole(IamStore iam) : IOperation<UntagRoleRequest, UntagRoleResponse>
{
    public async Task<UntagRoleResponse> Handle(UntagRoleRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct, tracked: true);
        var removed = new HashSet<string>(request.TagKeys!, StringComparer.OrdinalIgnoreCase);
        role.Tags = IamStore.TagsJson([.. IamStore.Tags(role.Tags).Where(t => !removed.Contains(t.Key!))]);
        await iam.Db.SaveChangesAsync(ct);
        return new UntagRoleResponse();
    }
}

sealed class ListRoleTags(IamStore iam) : IOperation<ListRoleTagsRequest, ListRoleTagsResponse>
{
    public async Task<ListRoleTagsResponse> Handle(ListRoleTagsRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var after = IamStore.AfterKey(request.Marker);
        var tags = IamStore.Tags(role.Tags);
        var rest = after is null ? tags : [.. tags.SkipWhile(t => t.Key != after).Skip(1)];
        var (page, next) = IamStore.Page(rest, request.MaxItems, t => t.Key!);
        return new ListRoleTagsResponse { Tags = page, IsTruncated = next is not null, Marker = next };
    }
}

// Managed policies attached to roles, and roles' permissions boundaries. Changes of one role's attachments hold its row
// first (ManagedPolicies.HoldRole), so the quota check and the insert are one step; the foreign keys decide a race with
// DeletePolicy.

sealed class AttachRolePolicy(IamStore iam) : IOperation<AttachRolePolicyRequest, AttachRolePolicyResponse>
{
    public async Task<AttachRolePolicyResponse> Handle(AttachRolePolicyRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        Exception Missing(string arn) => new NoSuchEntityException($"Policy {arn} does not exist or is not attachable.");
        var policy = await ManagedPolicies.Find(iam, request.PolicyArn!, ct, Missing);
        await ManagedPolicies.HoldRole(iam.Db, role.RoleId, ct);
        // Attaching a policy already attached changes nothing, as on IAM.
        if (await iam.Db.IamRolePolicyAttachments.AnyAsync(a => a.RoleId == role.RoleId && a.PolicyId == policy.PolicyId, ct)) return new AttachRolePolicyResponse();
        if (await iam.Db.IamRolePolicyAttachments.CountAsync(a => a.RoleId == role.RoleId, ct) >= ManagedPolicies.MaxAttachedPerRole)
            throw new IamLimitExceededException($"Cannot exceed quota for PoliciesPerRole: {ManagedPolicies.MaxAttachedPerRole}");
        iam.Db.IamRolePolicyAttachments.Add(new IamRolePolicyAttachmentRow { RoleId = role.RoleId, PolicyId = policy.PolicyId });
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The policy was deleted at the same moment: the foreign key decided.
            throw Missing(policy.Arn);
        }
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new AttachRolePolicyResponse();
    }
}

sealed class DetachRolePolicy(IamStore iam) : IOperation<DetachRolePolicyRequest, DetachRolePolicyResponse>
{
    public async Task<DetachRolePolicyResponse> Handle(DetachRolePolicyRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var policy = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        var deleted = await iam.Db.IamRolePolicyAttachments.Where(a => a.RoleId == role.RoleId && a.PolicyId == policy.PolicyId).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new NoSuchEntityException($"Policy {request.PolicyArn} was not found.");
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new DetachRolePolicyResponse();
    }
}

sealed class ListAttachedRolePolicies(IamStore iam) : IOperation<ListAttachedRolePoliciesRequest, ListAttachedRolePoliciesResponse>
{
    public async Task<ListAttachedRolePoliciesResponse> Handle(ListAttachedRolePoliciesRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var after = IamStore.AfterKey(request.Marker);
        var prefix = request.PathPrefix ?? "/";
        var q = from a in iam.Db.IamRolePolicyAttachments.AsNoTracking()
                where a.RoleId == role.RoleId
                join p in iam.Db.IamManagedPolicies.AsNoTracking() on a.PolicyId equals p.PolicyId
                where p.Path.StartsWith(prefix)
                select new { p.PolicyName, p.Arn, p.PolicyNameKey };
        if (after is not null) q = q.Where(p => p.PolicyNameKey.CompareTo(after) > 0);
        var rows = await q.OrderBy(p => p.PolicyNameKey).Take((request.MaxItems ?? 100) + 1).ToListAsync(ct);
        var (page, next) = IamStore.Page(rows, request.MaxItems, p => p.PolicyNameKey);
        return new ListAttachedRolePoliciesResponse
        {
            AttachedPolicies = [.. page.Select(p => new AttachedPolicy { PolicyName = p.PolicyName, PolicyArn = p.Arn })],
            IsTruncated = next is not null,
            Marker = next,
        };
    }
}

sealed class PutRolePermissionsBoundary(IamStore iam) : IOperation<PutRolePermissionsBoundaryRequest, PutRolePermissionsBoundaryResponse>
{
    public async Task<PutRolePermissionsBoundaryResponse> Handle(PutRolePermissionsBoundaryRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        await ManagedPolicies.Find(iam, request.PermissionsBoundary!, ct, CreateRole.NoBoundary);
        iam.Acted(role.Arn);
        try
        {
            await iam.Db.IamRoles.Where(r => r.RoleId == role.RoleId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.PermissionsBoundaryArn, request.PermissionsBoundary), ct);
        }
        catch (Exception e) when (ManagedPolicies.IsConstraint(e))
        {
            // The policy was deleted at the same moment: the foreign key decided.
            throw CreateRole.NoBoundary(request.PermissionsBoundary!);
        }
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new PutRolePermissionsBoundaryResponse();
    }
}

sealed class DeleteRolePermissionsBoundary(IamStore iam) : IOperation<DeleteRolePermissionsBoundaryRequest, DeleteRolePermissionsBoundaryResponse>
{
    public async Task<DeleteRolePermissionsBoundaryResponse> Handle(DeleteRolePermissionsBoundaryRequest request, CancellationToken ct)
    {
        var role = await iam.Role(request.RoleName, ct);
        var cleared = await iam.Db.IamRoles.Where(r => r.RoleId == role.RoleId && r.PermissionsBoundaryArn != null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.PermissionsBoundaryArn, (string?)null), ct);
        if (cleared == 0) throw new NoSuchEntityException($"The role with name {role.RoleName} has no permissions boundary.");
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new DeleteRolePermissionsBoundaryResponse();
    }
}
