using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Iam;

/// <summary>Customer managed policies as IAM keeps them (versions, attachments, counts, conflicts), permissions boundaries,
/// and what SimulatePrincipalPolicy decides from a role's inline and managed policies cut by its boundary.</summary>
[Collection(ServerCollection.Name)]
public sealed class IamManagedPolicyTests(PortalServer server)
{
    const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    static string Allow(string action, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Allowed","Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";

    async Task<Role> NewRole(string? boundary = null) =>
        (await Engine.Send(new CreateRoleRequest { RoleName = PortalServer.Unique("mrole"), AssumeRolePolicyDocument = Trust, PermissionsBoundary = boundary })).Role!;

    async Task<Policy> NewPolicy(string document, string path = "/", string? name = null) =>
        (await Engine.Send(new CreatePolicyRequest { PolicyName = name ?? PortalServer.Unique("mpol"), Path = path, PolicyDocument = document, Description = "for tests" })).Policy!;

    [Fact]
    public async Task A_managed_policy_is_created_read_listed_versioned_and_deleted_as_IAM_does()
    {
        var name = PortalServer.Unique("readers");
        var created = await NewPolicy(Allow("s3:GetObject"), "/team/", name);
        Assert.Equal($"arn:aws:iam::000000000000:policy/team/{name}", created.Arn);
        Assert.StartsWith("ANPA", created.PolicyId, StringComparison.Ordinal);
        Assert.Equal(("v1", 0, true), (created.DefaultVersionId, created.AttachmentCount, created.IsAttachable));

        var dup = await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => NewPolicy(Allow("s3:PutObject"), "/other/", name.ToUpperInvariant()));
        Assert.Equal($"A policy called {name.ToUpperInvariant()} already exists. Duplicate names are not allowed.", dup.Message);
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => NewPolicy("""{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}"""));

        var got = (await Engine.Send(new GetPolicyRequest { PolicyArn = created.Arn })).Policy!;
        Assert.Equal(("for tests", "/team/"), (got.Description, got.Path));
        Assert.Equal($"Policy arn:aws:iam::000000000000:policy/{name}-gone was not found.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new GetPolicyRequest { PolicyArn = $"arn:aws:iam::000000000000:policy/{name}-gone" }))).Message);

        // Versions: at most five; a new one becomes the default only when asked.
        for (var i = 2; i <= 5; i++)
        {
            var version = (await Engine.Send(new CreatePolicyVersionRequest { PolicyArn = created.Arn, PolicyDocument = Allow($"s3:Action{i}"), SetAsDefault = i == 3 })).PolicyVersion!;
            Assert.Equal(($"v{i}", i == 3), (version.VersionId, version.IsDefaultVersion));
        }
        var sixth = await Assert.ThrowsAsync<IamLimitExceededException>(() => Engine.Send(new CreatePolicyVersionRequest { PolicyArn = created.Arn, PolicyDocument = Allow("s3:Six") }));
        Assert.Equal("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.", sixth.Message);
        var versions = (await Engine.Send(new ListPolicyVersionsRequest { PolicyArn = created.Arn })).Versions!;
        Assert.Equal(["v5", "v4", "v3", "v2", "v1"], versions.Select(v => v.VersionId));
        Assert.Equal(["v3"], versions.Where(v => v.IsDefaultVersion == true).Select(v => v.VersionId));
        var v3 = (await Engine.Send(new GetPolicyVersionRequest { PolicyArn = created.Arn, VersionId = "v3" })).PolicyVersion!;
        Assert.Equal((Allow("s3:Action3"), true), (v3.Document, v3.IsDefaultVersion));

        var defaultDelete = await Assert.ThrowsAsync<DeleteConflictException>(() => Engine.Send(new DeletePolicyVersionRequest { PolicyArn = created.Arn, VersionId = "v3" }));
        Assert.Equal("Cannot delete the default version of a policy.", defaultDelete.Message);
        await Engine.Send(new SetDefaultPolicyVersionRequest { PolicyArn = created.Arn, VersionId = "v5" });
        await Engine.Send(new DeletePolicyVersionRequest { PolicyArn = created.Arn, VersionId = "v3" });
        await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new GetPolicyVersionRequest { PolicyArn = created.Arn, VersionId = "v3" }));
        await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new SetDefaultPolicyVersionRequest { PolicyArn = created.Arn, VersionId = "v9" }));
        Assert.Equal("v5", (await Engine.Send(new GetPolicyRequest { PolicyArn = created.Arn })).Policy!.DefaultVersionId);
        // The next version after a deletion takes the next number (v6), never reusing v3.
        Assert.Equal("v6", (await Engine.Send(new CreatePolicyVersionRequest { PolicyArn = created.Arn, PolicyDocument = Allow("s3:Six") })).PolicyVersion!.VersionId);

        // Deleting needs its other versions gone first, as on IAM.
        var many = await Assert.ThrowsAsync<DeleteConflictException>(() => Engine.Send(new DeletePolicyRequest { PolicyArn = created.Arn }));
        Assert.StartsWith("This policy has more than one version.", many.Message, StringComparison.Ordinal);
        foreach (var v in new[] { "v1", "v2", "v4", "v6" }) await Engine.Send(new DeletePolicyVersionRequest { PolicyArn = created.Arn, VersionId = v });
        await Engine.Send(new DeletePolicyRequest { PolicyArn = created.Arn });
        await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new GetPolicyRequest { PolicyArn = created.Arn }));
    }

    [Fact]
    public async Task ListPolicies_filters_by_scope_path_and_attachment_and_pages()
    {
        var path = $"/{PortalServer.Unique("list")}/";
        var policies = new List<Policy>();
        for (var i = 0; i < 3; i++) policies.Add(await NewPolicy(Allow("s3:GetObject"), path, $"{path.Trim('/')}-{i}"));
        var role = await NewRole();
        await Engine.Send(new AttachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = policies[1].Arn });

        var local = (await Engine.Send(new ListPoliciesRequest { Scope = "Local", PathPrefix = path })).Policies!;
        Assert.Equal(policies.Select(p => p.Arn), local.Select(p => p.Arn));
        Assert.Equal([0, 1, 0], local.Select(p => p.AttachmentCount));
        Assert.Empty((await Engine.Send(new ListPoliciesRequest { Scope = "AWS", PathPrefix = path })).Policies!);
        Assert.Equal([policies[1].Arn], (await Engine.Send(new ListPoliciesRequest { PathPrefix = path, OnlyAttached = true })).Policies!.Select(p => p.Arn));

        var first = await Engine.Send(new ListPoliciesRequest { PathPrefix = path, MaxItems = 2 });
        Assert.True(first.IsTruncated);
        var rest = await Engine.Send(new ListPoliciesRequest { PathPrefix = path, MaxItems = 2, Marker = first.Marker });
        Assert.Equal(policies.Select(p => p.Arn), first.Policies!.Concat(rest.Policies!).Select(p => p.Arn));
        Assert.False(rest.IsTruncated);
    }

    [Fact]
    public async Task Attached_policies_are_listed_counted_and_keep_the_policy_and_the_role_from_being_deleted()
    {
        var policy = await NewPolicy(Allow("s3:GetObject"));
        var role = await NewRole();
        await Engine.Send(new AttachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = policy.Arn });
        await Engine.Send(new AttachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = policy.Arn });   // again: no change
        var attached = (await Engine.Send(new ListAttachedRolePoliciesRequest { RoleName = role.RoleName })).AttachedPolicies!;
        Assert.Equal([(policy.PolicyName, policy.Arn)], attached.Select(a => (a.PolicyName, a.PolicyArn)));
        Assert.Equal(1, (await Engine.Send(new GetPolicyRequest { PolicyArn = policy.Arn })).Policy!.AttachmentCount);
        Assert.Equal([role.RoleName], (await Engine.Send(new ListEntitiesForPolicyRequest { PolicyArn = policy.Arn })).PolicyRoles!.Select(r => r.RoleName));

        Assert.Equal("Cannot delete a policy attached to entities.",
            (await Assert.ThrowsAsync<DeleteConflictException>(() => Engine.Send(new DeletePolicyRequest { PolicyArn = policy.Arn }))).Message);
        Assert.Equal("Cannot delete entity, must detach all policies first.",
            (await Assert.ThrowsAsync<DeleteConflictException>(() => Engine.Send(new DeleteRoleRequest { RoleName = role.RoleName }))).Message);

        await Engine.Send(new DetachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = policy.Arn });
        Assert.Equal($"Policy {policy.Arn} was not found.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new DetachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = policy.Arn }))).Message);
        Assert.Empty((await Engine.Send(new ListAttachedRolePoliciesRequest { RoleName = role.RoleName })).AttachedPolicies!);
        await Engine.Send(new DeleteRoleRequest { RoleName = role.RoleName });
        await Engine.Send(new DeletePolicyRequest { PolicyArn = policy.Arn });

        // At most ten managed policies on a role.
        var busy = await NewRole();
        for (var i = 0; i < 10; i++) await Engine.Send(new AttachRolePolicyRequest { RoleName = busy.RoleName, PolicyArn = (await NewPolicy(Allow("s3:GetObject"))).Arn });
        var eleventh = await NewPolicy(Allow("s3:GetObject"));
        Assert.Equal("Cannot exceed quota for PoliciesPerRole: 10",
            (await Assert.ThrowsAsync<IamLimitExceededException>(() => Engine.Send(new AttachRolePolicyRequest { RoleName = busy.RoleName, PolicyArn = eleventh.Arn }))).Message);
    }

    [Fact]
    public async Task Concurrent_attachments_and_a_concurrent_delete_leave_the_count_right_and_nothing_dangling()
    {
        var policy = await NewPolicy(Allow("s3:GetObject"));
        var roles = new List<Role>();
        for (var i = 0; i < 8; i++) roles.Add(await NewRole());
        // Eight attachments at once, each sent twice, and a DeletePolicy racing them.
        var attaches = roles.Concat(roles).Select(r => Outcome(() => Engine.Send(new AttachRolePolicyRequest { RoleName = r.RoleName, PolicyArn = policy.Arn }))).ToList();
        var delete = Outcome(() => Engine.Send(new DeletePolicyRequest { PolicyArn = policy.Arn }));
        await Task.WhenAll(attaches.Append(delete));
        var attachResults = await Task.WhenAll(attaches);
        var deleteResult = await delete;

        var exists = await Outcome(() => Engine.Send(new GetPolicyRequest { PolicyArn = policy.Arn }));
        if (deleteResult is null)
        {
            // The delete won before any attachment: every attachment that came after it found no policy.
            Assert.Equal("NoSuchEntity", exists);
            Assert.All(attachResults, a => Assert.Contains(a, new[] { null, "NoSuchEntity" }));
            foreach (var r in roles) Assert.Empty((await Engine.Send(new ListAttachedRolePoliciesRequest { RoleName = r.RoleName })).AttachedPolicies!);
        }
        else
        {
            Assert.Equal("DeleteConflict", deleteResult);
            Assert.Null(exists);
            var attachedTo = 0;
            foreach (var r in roles)
                attachedTo += (await Engine.Send(new ListAttachedRolePoliciesRequest { RoleName = r.RoleName })).AttachedPolicies!.Count(a => a.PolicyArn == policy.Arn);
            var count = (await Engine.Send(new GetPolicyRequest { PolicyArn = policy.Arn })).Policy!.AttachmentCount;
            Assert.Equal(attachedTo, count);
            Assert.Equal(roles.Count, count);
        }
    }

    /// <summary>Null when the call succeeded, else the AWS error code it answered.</summary>
    static async Task<string?> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (CognitoException e)
        {
            return e.Type;
        }
    }

    [Fact]
    public async Task A_permissions_boundary_is_set_read_and_removed_and_cuts_an_inline_allow_in_SimulatePrincipalPolicy()
    {
        var boundary = await NewPolicy(Allow("s3:ListBucket"));
        var role = await NewRole(boundary.Arn);
        Assert.Equal(("PermissionsBoundaryPolicy", boundary.Arn), (role.PermissionsBoundary?.PermissionsBoundaryType, role.PermissionsBoundary?.PermissionsBoundaryArn));
        var read = (await Engine.Send(new GetRoleRequest { RoleName = role.RoleName })).Role!;
        Assert.Equal(boundary.Arn, read.PermissionsBoundary?.PermissionsBoundaryArn);
        Assert.Equal(1, (await Engine.Send(new GetPolicyRequest { PolicyArn = boundary.Arn })).Policy!.PermissionsBoundaryUsageCount);
        Assert.Equal("Cannot delete a policy attached to entities.",
            (await Assert.ThrowsAsync<DeleteConflictException>(() => Engine.Send(new DeletePolicyRequest { PolicyArn = boundary.Arn }))).Message);

        await Engine.Send(new PutRolePolicyRequest { RoleName = role.RoleName, PolicyName = "inline", PolicyDocument = Allow("s3:GetObject") });
        var managed = await NewPolicy(Allow("s3:ListBucket"));
        await Engine.Send(new AttachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = managed.Arn });

        async Task<Dictionary<string, string>> Simulate() =>
            (await Engine.Send(new SimulatePrincipalPolicyRequest { PolicySourceArn = role.Arn, ActionNames = ["s3:GetObject", "s3:ListBucket"] }))
            .EvaluationResults!.ToDictionary(r => r.EvalActionName!, r => r.EvalDecision!);

        // The inline Allow of GetObject is outside the boundary; ListBucket, allowed by the attached managed policy, is inside.
        var bounded = await Simulate();
        Assert.Equal(("implicitDeny", "allowed"), (bounded["s3:GetObject"], bounded["s3:ListBucket"]));
        var detail = (await Engine.Send(new SimulatePrincipalPolicyRequest { PolicySourceArn = role.Arn, ActionNames = ["s3:ListBucket"] })).EvaluationResults![0];
        Assert.Equal(managed.Arn, Assert.Single(detail.MatchedStatements!, s => s.SourcePolicyType == "user-managed" && s.SourcePolicyId == managed.Arn).SourcePolicyId);
        Assert.True(detail.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary);

        // A wider boundary lets the inline Allow through; without a boundary the identity policies alone decide.
        var wide = await NewPolicy(Allow("s3:*"));
        await Engine.Send(new PutRolePermissionsBoundaryRequest { RoleName = role.RoleName, PermissionsBoundary = wide.Arn });
        Assert.Equal("allowed", (await Simulate())["s3:GetObject"]);
        await Engine.Send(new PutRolePermissionsBoundaryRequest { RoleName = role.RoleName, PermissionsBoundary = boundary.Arn });
        Assert.Equal("implicitDeny", (await Simulate())["s3:GetObject"]);
        await Engine.Send(new DeleteRolePermissionsBoundaryRequest { RoleName = role.RoleName });
        Assert.Null((await Engine.Send(new GetRoleRequest { RoleName = role.RoleName })).Role!.PermissionsBoundary);
        Assert.Equal("allowed", (await Simulate())["s3:GetObject"]);
        await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new DeleteRolePermissionsBoundaryRequest { RoleName = role.RoleName }));

        // A new default version of an attached policy takes effect at once.
        await Engine.Send(new CreatePolicyVersionRequest { PolicyArn = managed.Arn, PolicyDocument = Allow("s3:PutObject"), SetAsDefault = true });
        Assert.Equal("implicitDeny", (await Simulate())["s3:ListBucket"]);

        var missing = "arn:aws:iam::000000000000:policy/not-there";
        Assert.Equal($"Scope ARN: {missing} does not exist or is not attachable.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new PutRolePermissionsBoundaryRequest { RoleName = role.RoleName, PermissionsBoundary = missing }))).Message);
    }
}
