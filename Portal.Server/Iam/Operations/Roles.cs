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
            throw new InvalidInputException("Permissions boundaries are not supported by this IAM.");
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
        };
        iam.Db.IamRoles.Add(row);
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request created the name between the check and the insert: the unique index decided.
            throw new EntityAlreadyExistsException($"Role with name {request.RoleName} already exists.");
        }
        var role = IamStore.ToRole(row, detailed: false) with { Tags = request.Tags is { Count: > 0 } ? request.Tags : null };
        return new CreateRoleResponse { Role = role };
    }
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
        await iam.Db.IamRoles.Where(r => r.RoleId == role.RoleId).ExecuteDeleteAsync(ct);
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
        return new DeleteRolePolicyResponse();
    }
}
