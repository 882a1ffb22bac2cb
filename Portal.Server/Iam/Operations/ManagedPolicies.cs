using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Iam.Operations;

// IAM's customer managed policies: a policy with up to five versions (one the default), attached to roles or used as
// their permissions boundary. Counts (AttachmentCount, PermissionsBoundaryUsageCount) are counted from the attachment
// rows and the roles, never kept as numbers that could drift; foreign keys keep an attached or bounding policy from
// going; every change of a policy's versions first bumps its Revision (a conditional update that, inside the operation's
// one transaction, holds the policy's row), so two version changes of one policy never interleave.

static class ManagedPolicies
{
    /// <summary>IAM's quota for a managed policy document, in characters without whitespace.</summary>
    public const int MaxPolicySize = 6144;
    public const int MaxVersions = 5;
    /// <summary>IAM's default quota of managed policies attached to a role.</summary>
    public const int MaxAttachedPerRole = 10;

    /// <summary>A policy ARN as IAM checks its form before looking it up: arn:aws:iam::{account or "aws"}:policy/….</summary>
    public static void CheckArn(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[5].StartsWith("policy/", StringComparison.Ordinal) || parts[5].Length == "policy/".Length)
            throw new InvalidInputException($"ARN {arn} is not valid.");
    }

    /// <summary>The customer managed policy by ARN (AWS managed policies are not kept here: IAM answers them as missing).</summary>
    public static async Task<IamManagedPolicyRow> Find(IamStore iam, string arn, CancellationToken ct, Func<string, Exception>? missing = null)
    {
        CheckArn(arn);
        iam.Acted(arn);
        return await iam.Db.IamManagedPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.Arn == arn, ct)
               ?? throw (missing ?? (a => new NoSuchEntityException($"Policy {a} was not found.")))(arn);
    }

    /// <summary>Holds the policy's row for the rest of the operation (its transaction begins here): version changes of one
    /// policy are serialized. False when the policy is gone.</summary>
    public static async Task<bool> Hold(PortalDb db, string policyId, CancellationToken ct) =>
        await db.IamManagedPolicies.Where(p => p.PolicyId == policyId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Revision, p => p.Revision + 1), ct) == 1;

    /// <summary>Holds the role's row (a no-op update) so attachment and boundary changes of one role are serialized.</summary>
    public static Task HoldRole(PortalDb db, string roleId, CancellationToken ct) =>
        db.IamRoles.Where(r => r.RoleId == roleId).ExecuteUpdateAsync(u => u.SetProperty(r => r.MaxSessionDuration, r => r.MaxSessionDuration), ct);

    public static void ValidateDocument(string? json)
    {
        IamStore.ValidatePolicy(json, PolicyKind.Identity);
        if (IamStore.SizeWithoutWhitespace(json!) > MaxPolicySize)
            throw new IamLimitExceededException($"Cannot exceed quota for PolicySize: {MaxPolicySize}");
    }

    public static void CheckVersionId(string versionId)
    {
        if (versionId.Length > 32) throw new ValidationErrorException("1 validation error detected: Value at 'versionId' failed to satisfy constraint");
    }

    /// <summary>A policy as IAM answers it; GetPolicy and CreatePolicy add description and tags, ListPolicies leaves them out.</summary>
    public static Policy ToPolicy(IamManagedPolicyRow row, int attachments, int boundaries, bool detailed) => new()
    {
        PolicyName = row.PolicyName,
        PolicyId = row.PolicyId,
        Arn = row.Arn,
        Path = row.Path,
        DefaultVersionId = row.DefaultVersionId,
        AttachmentCount = attachments,
        PermissionsBoundaryUsageCount = boundaries,
        IsAttachable = true,
        Description = detailed ? row.Description : null,
        CreateDate = row.CreatedAt,
        UpdateDate = row.UpdatedAt,
        Tags = detailed && IamStore.Tags(row.Tags) is { Count: > 0 } tags ? tags : null,
    };

    public static async Task<Policy> Answer(IamStore iam, IamManagedPolicyRow row, bool detailed, CancellationToken ct)
    {
        var attachments = await iam.Db.IamRolePolicyAttachments.CountAsync(a => a.PolicyId == row.PolicyId, ct);
        var boundaries = await iam.Db.IamRoles.CountAsync(r => r.PermissionsBoundaryArn == row.Arn, ct);
        return ToPolicy(row, attachments, boundaries, detailed);
    }

    public static PolicyVersion ToVersion(IamPolicyVersionRow row, string defaultVersionId, bool withDocument) => new()
    {
        Document = withDocument ? row.Document : null,
        VersionId = row.VersionId,
        IsDefaultVersion = row.VersionId == defaultVersionId,
        CreateDate = row.CreatedAt,
    };

    /// <summary>Versions sort by their number (v10 after v9).</summary>
    public static int Number(string versionId) =>
        int.TryParse(versionId.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    /// <summary>A now without fractions of a second, as IAM's dates are written.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Whether a failed write was a constraint of the database (a foreign key or a unique index) deciding a race.</summary>
    public static bool IsConstraint(Exception e) => e is DbUpdateException or DbException;
}

sealed class CreatePolicy(IamStore iam, TimeProvider clock) : IOperation<CreatePolicyRequest, CreatePolicyResponse>
{
    public async Task<CreatePolicyResponse> Handle(CreatePolicyRequest request, CancellationToken ct)
    {
        ManagedPolicies.ValidateDocument(request.PolicyDocument);
        IamStore.ValidateTags(request.Tags);
        var path = request.Path ?? "/";
        var key = IamStore.NameKey(request.PolicyName!);
        var arn = iam.PolicyArn(path, request.PolicyName!);
        iam.Acted(arn);
        var exists = new EntityAlreadyExistsException($"A policy called {request.PolicyName} already exists. Duplicate names are not allowed.");
        if (await iam.Db.IamManagedPolicies.AnyAsync(p => p.PolicyNameKey == key, ct)) throw exists;
        var now = ManagedPolicies.Now(clock);
        var row = new IamManagedPolicyRow
        {
            PolicyId = IamStore.NewPolicyId(),
            PolicyName = request.PolicyName!,
            PolicyNameKey = key,
            Path = path,
            Arn = arn,
            Description = request.Description,
            DefaultVersionId = "v1",
            CreatedAt = now,
            UpdatedAt = now,
            Tags = IamStore.TagsJson(request.Tags),
        };
        iam.Db.IamManagedPolicies.Add(row);
        iam.Db.IamPolicyVersions.Add(new IamPolicyVersionRow { PolicyId = row.PolicyId, VersionId = "v1", Document = request.PolicyDocument!, CreatedAt = now });
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request created the name between the check and the insert: the unique index decided.
            throw exists;
        }
        return new CreatePolicyResponse { Policy = ManagedPolicies.ToPolicy(row, 0, 0, detailed: false) with { Tags = request.Tags is { Count: > 0 } ? request.Tags : null } };
    }
}

sealed class GetPolicy(IamStore iam) : IOperation<GetPolicyRequest, GetPolicyResponse>
{
    public async Task<GetPolicyResponse> Handle(GetPolicyRequest request, CancellationToken ct)
    {
        var row = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        return new GetPolicyResponse { Policy = await ManagedPolicies.Answer(iam, row, detailed: true, ct) };
    }
}

sealed class ListPolicies(IamStore iam) : IOperation<ListPoliciesRequest, ListPoliciesResponse>
{
    public async Task<ListPoliciesResponse> Handle(ListPoliciesRequest request, CancellationToken ct)
    {
        var after = IamStore.AfterKey(request.Marker);
        // This IAM keeps no AWS managed policies: the AWS scope is empty, Local and All are the customer's.
        if (request.Scope == "AWS") return new ListPoliciesResponse { Policies = [], IsTruncated = false };
        var prefix = request.PathPrefix ?? "/";
        var q = from p in iam.Db.IamManagedPolicies.AsNoTracking()
                where p.Path.StartsWith(prefix)
                select new
                {
                    Row = p,
                    Attachments = iam.Db.IamRolePolicyAttachments.Count(a => a.PolicyId == p.PolicyId),
                    Boundaries = iam.Db.IamRoles.Count(r => r.PermissionsBoundaryArn == p.Arn),
                };
        if (after is not null) q = q.Where(p => p.Row.PolicyNameKey.CompareTo(after) > 0);
        if (request.OnlyAttached == true)
            q = request.PolicyUsageFilter switch
            {
                "PermissionsPolicy" => q.Where(p => p.Attachments > 0),
                "PermissionsBoundary" => q.Where(p => p.Boundaries > 0),
                _ => q.Where(p => p.Attachments > 0 || p.Boundaries > 0),
            };
        var rows = await q.OrderBy(p => p.Row.PolicyNameKey).Take((request.MaxItems ?? 100) + 1).ToListAsync(ct);
        var (page, next) = IamStore.Page(rows, request.MaxItems, p => p.Row.PolicyNameKey);
        return new ListPoliciesResponse
        {
            Policies = [.. page.Select(p => ManagedPolicies.ToPolicy(p.Row, p.Attachments, p.Boundaries, detailed: false))],
            IsTruncated = next is not null,
            Marker = next,
        };
    }
}

sealed class DeletePolicy(IamStore iam) : IOperation<DeletePolicyRequest, DeletePolicyResponse>
{
    public async Task<DeletePolicyResponse> Handle(DeletePolicyRequest request, CancellationToken ct)
    {
        var row = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        var conflict = new DeleteConflictException("Cannot delete a policy attached to entities.");
        if (!await ManagedPolicies.Hold(iam.Db, row.PolicyId, ct)) throw new NoSuchEntityException($"Policy {row.Arn} was not found.");
        if (await iam.Db.IamRolePolicyAttachments.AnyAsync(a => a.PolicyId == row.PolicyId, ct) || await iam.Db.IamRoles.AnyAsync(r => r.PermissionsBoundaryArn == row.Arn, ct))
            throw conflict;
        if (await iam.Db.IamPolicyVersions.AnyAsync(v => v.PolicyId == row.PolicyId && v.VersionId != row.DefaultVersionId, ct))
            throw new DeleteConflictException("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
        try
        {
            await iam.Db.IamPolicyVersions.Where(v => v.PolicyId == row.PolicyId).ExecuteDeleteAsync(ct);
            await iam.Db.IamManagedPolicies.Where(p => p.PolicyId == row.PolicyId).ExecuteDeleteAsync(ct);
        }
        catch (Exception e) when (ManagedPolicies.IsConstraint(e))
        {
            // An attachment or a boundary made at the same moment: the foreign key kept the policy.
            throw conflict;
        }
        return new DeletePolicyResponse();
    }
}

sealed class CreatePolicyVersion(IamStore iam, TimeProvider clock) : IOperation<CreatePolicyVersionRequest, CreatePolicyVersionResponse>
{
    public async Task<CreatePolicyVersionResponse> Handle(CreatePolicyVersionRequest request, CancellationToken ct)
    {
        var found = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        ManagedPolicies.ValidateDocument(request.PolicyDocument);
        if (!await ManagedPolicies.Hold(iam.Db, found.PolicyId, ct)) throw new NoSuchEntityException($"Policy {found.Arn} was not found.");
        var row = await iam.Db.IamManagedPolicies.FirstAsync(p => p.PolicyId == found.PolicyId, ct);
        if (await iam.Db.IamPolicyVersions.CountAsync(v => v.PolicyId == row.PolicyId, ct) >= ManagedPolicies.MaxVersions)
            throw new IamLimitExceededException($"A managed policy can have up to {ManagedPolicies.MaxVersions} versions. Before you create a new version, you must delete an existing version.");
        var now = ManagedPolicies.Now(clock);
        var version = new IamPolicyVersionRow
        {
            PolicyId = row.PolicyId,
            VersionId = "v" + row.NextVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Document = request.PolicyDocument!,
            CreatedAt = now,
        };
        iam.Db.IamPolicyVersions.Add(version);
        row.NextVersion++;
        row.UpdatedAt = now;
        if (request.SetAsDefault == true) row.DefaultVersionId = version.VersionId;
        await iam.Db.SaveChangesAsync(ct);
        if (request.SetAsDefault == true) await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new CreatePolicyVersionResponse { PolicyVersion = ManagedPolicies.ToVersion(version, row.DefaultVersionId, withDocument: false) };
    }
}

sealed class GetPolicyVersion(IamStore iam) : IOperation<GetPolicyVersionRequest, GetPolicyVersionResponse>
{
    public async Task<GetPolicyVersionResponse> Handle(GetPolicyVersionRequest request, CancellationToken ct)
    {
        var row = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        var version = await iam.Db.IamPolicyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.PolicyId == row.PolicyId && v.VersionId == request.VersionId, ct)
                      ?? throw new NoSuchEntityException($"Policy {row.Arn} version {request.VersionId} does not exist or is not attachable.");
        return new GetPolicyVersionResponse { PolicyVersion = ManagedPolicies.ToVersion(version, row.DefaultVersionId, withDocument: true) };
    }
}

sealed class ListPolicyVersions(IamStore iam) : IOperation<ListPolicyVersionsRequest, ListPolicyVersionsResponse>
{
    public async Task<ListPolicyVersionsResponse> Handle(ListPolicyVersionsRequest request, CancellationToken ct)
    {
        var row = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        var after = IamStore.AfterKey(request.Marker);
        // Newest first, as IAM lists them.
        var versions = (await iam.Db.IamPolicyVersions.AsNoTracking().Where(v => v.PolicyId == row.PolicyId).ToListAsync(ct))
            .OrderByDescending(v => ManagedPolicies.Number(v.VersionId)).ToList();
        var rest = after is null ? versions : [.. versions.SkipWhile(v => v.VersionId != after).Skip(1)];
        var (page, next) = IamStore.Page(rest, request.MaxItems, v => v.VersionId);
        return new ListPolicyVersionsResponse
        {
            Versions = [.. page.Select(v => ManagedPolicies.ToVersion(v, row.DefaultVersionId, withDocument: false))],
            IsTruncated = next is not null,
            Marker = next,
        };
    }
}

sealed class DeletePolicyVersion(IamStore iam) : IOperation<DeletePolicyVersionRequest, DeletePolicyVersionResponse>
{
    public async Task<DeletePolicyVersionResponse> Handle(DeletePolicyVersionRequest request, CancellationToken ct)
    {
        var found = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        if (!await ManagedPolicies.Hold(iam.Db, found.PolicyId, ct)) throw new NoSuchEntityException($"Policy {found.Arn} was not found.");
        // Read again under the hold: a SetDefaultPolicyVersion that came first is seen.
        var row = await iam.Db.IamManagedPolicies.AsNoTracking().FirstAsync(p => p.PolicyId == found.PolicyId, ct);
        if (row.DefaultVersionId == request.VersionId) throw new DeleteConflictException("Cannot delete the default version of a policy.");
        var deleted = await iam.Db.IamPolicyVersions.Where(v => v.PolicyId == row.PolicyId && v.VersionId == request.VersionId).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new NoSuchEntityException($"Policy {row.Arn} version {request.VersionId} does not exist or is not attachable.");
        return new DeletePolicyVersionResponse();
    }
}

sealed class SetDefaultPolicyVersion(IamStore iam, TimeProvider clock) : IOperation<SetDefaultPolicyVersionRequest, SetDefaultPolicyVersionResponse>
{
    public async Task<SetDefaultPolicyVersionResponse> Handle(SetDefaultPolicyVersionRequest request, CancellationToken ct)
    {
        var found = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        if (!await ManagedPolicies.Hold(iam.Db, found.PolicyId, ct)) throw new NoSuchEntityException($"Policy {found.Arn} was not found.");
        if (!await iam.Db.IamPolicyVersions.AnyAsync(v => v.PolicyId == found.PolicyId && v.VersionId == request.VersionId, ct))
            throw new NoSuchEntityException($"Policy {found.Arn} version {request.VersionId} does not exist or is not attachable.");
        var now = ManagedPolicies.Now(clock);
        await iam.Db.IamManagedPolicies.Where(p => p.PolicyId == found.PolicyId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.DefaultVersionId, request.VersionId!).SetProperty(p => p.UpdatedAt, now), ct);
        await Gateway.S3.S3Policies.Changed(iam.Db, ct);
        return new SetDefaultPolicyVersionResponse();
    }
}

sealed class ListEntitiesForPolicy(IamStore iam) : IOperation<ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse>
{
    public async Task<ListEntitiesForPolicyResponse> Handle(ListEntitiesForPolicyRequest request, CancellationToken ct)
    {
        var row = await ManagedPolicies.Find(iam, request.PolicyArn!, ct);
        var after = IamStore.AfterKey(request.Marker);
        // Portal's IAM has roles only: users and groups are always empty.
        if (request.EntityFilter is not (null or "Role"))
            return new ListEntitiesForPolicyResponse { PolicyRoles = [], PolicyUsers = [], PolicyGroups = [], IsTruncated = false };
        var prefix = request.PathPrefix ?? "/";
        var attached = iam.Db.IamRolePolicyAttachments.Where(a => a.PolicyId == row.PolicyId).Select(a => a.RoleId);
        var q = iam.Db.IamRoles.AsNoTracking().Where(r => r.Path.StartsWith(prefix));
        q = request.PolicyUsageFilter switch
        {
            "PermissionsPolicy" => q.Where(r => attached.Contains(r.RoleId)),
            "PermissionsBoundary" => q.Where(r => r.PermissionsBoundaryArn == row.Arn),
            _ => q.Where(r => attached.Contains(r.RoleId) || r.PermissionsBoundaryArn == row.Arn),
        };
        if (after is not null) q = q.Where(r => r.RoleNameKey.CompareTo(after) > 0);
        var rows = await q.OrderBy(r => r.RoleNameKey).Select(r => new { r.RoleName, r.RoleId, r.RoleNameKey }).Take((request.MaxItems ?? 100) + 1).ToListAsync(ct);
        var (page, next) = IamStore.Page(rows, request.MaxItems, r => r.RoleNameKey);
        return new ListEntitiesForPolicyResponse
        {
            PolicyRoles = [.. page.Select(r => new PolicyRole { RoleName = r.RoleName, RoleId = r.RoleId })],
            PolicyUsers = [],
            PolicyGroups = [],
            IsTruncated = next is not null,
            Marker = next,
        };
    }
}
