using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Iam;

/// <summary>IAM's role tags, the managed-policy operations as this IAM answers them (it keeps no managed policy, so it
/// answers as IAM does for one that does not exist), and the audit entries of IAM's changes naming the ARN they changed.</summary>
[Collection(ServerCollection.Name)]
public sealed class IamRoleTests(PortalServer server)
{
    const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    /// <summary>Sent as an operator of the portal would send it, so it is audited under <paramref name="actor"/>.</summary>
    Task<T> As<T>(string actor, ICognitoRequest<T> request) where T : new() => Engine.Send(request, new Caller(actor, FromPortal: true));

    async Task<Role> NewRole(string name, List<Tag>? tags = null) =>
        (await Engine.Send(new CreateRoleRequest { RoleName = name, Path = "/apps/", AssumeRolePolicyDocument = Trust, Tags = tags })).Role!;

    static Tag T(string key, string value) => new() { Key = key, Value = value };

    [Fact]
    public async Task TagRole_adds_and_overwrites_regardless_of_key_case_UntagRole_removes_and_ListRoleTags_pages()
    {
        var name = PortalServer.Unique("tagged");
        await NewRole(name, [T("team", "identity"), T("env", "dev")]);

        await Engine.Send(new TagRoleRequest { RoleName = name, Tags = [T("ENV", "prod"), T("cost", "42")] });
        var tags = (await Engine.Send(new ListRoleTagsRequest { RoleName = name })).Tags!;
        Assert.Equal([("team", "identity"), ("ENV", "prod"), ("cost", "42")], tags.Select(t => (t.Key!, t.Value!)));
        Assert.Equal(tags, (await Engine.Send(new GetRoleRequest { RoleName = name })).Role!.Tags);

        var first = await Engine.Send(new ListRoleTagsRequest { RoleName = name, MaxItems = 2 });
        Assert.True(first.IsTruncated);
        var rest = await Engine.Send(new ListRoleTagsRequest { RoleName = name, MaxItems = 2, Marker = first.Marker });
        Assert.Equal(["team", "ENV", "cost"], first.Tags!.Concat(rest.Tags!).Select(t => t.Key));
        Assert.False(rest.IsTruncated);

        await Engine.Send(new UntagRoleRequest { RoleName = name, TagKeys = ["env", "missing"] });
        Assert.Equal(["team", "cost"], (await Engine.Send(new ListRoleTagsRequest { RoleName = name })).Tags!.Select(t => t.Key));

        var reserved = await Assert.ThrowsAsync<InvalidInputException>(() => Engine.Send(new TagRoleRequest { RoleName = name, Tags = [T("aws:owner", "x")] }));
        Assert.Equal("User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.", reserved.Message);
        var tooMany = await Assert.ThrowsAsync<IamLimitExceededException>(() =>
            Engine.Send(new TagRoleRequest { RoleName = name, Tags = [.. Enumerable.Range(0, 49).Select(i => T($"k{i}", "v"))] }));
        Assert.Equal("LimitExceeded", tooMany.Type);
        Assert.Equal(2, (await Engine.Send(new ListRoleTagsRequest { RoleName = name })).Tags!.Count);   // nothing half-written
        Assert.Equal("The role with name nobody cannot be found.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new TagRoleRequest { RoleName = "nobody", Tags = [T("a", "b")] }))).Message);
    }

    [Fact]
    public async Task Managed_policies_and_permissions_boundaries_are_answered_as_IAM_answers_a_policy_that_does_not_exist()
    {
        var name = PortalServer.Unique("managed");
        const string ReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        var boundary = await Assert.ThrowsAsync<NoSuchEntityException>(() =>
            Engine.Send(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = Trust, PermissionsBoundary = ReadOnly }));
        Assert.Equal($"Scope ARN: {ReadOnly} does not exist or is not attachable.", boundary.Message);
        Assert.Equal("ARN not-an-arn-at-all-really is not valid.", (await Assert.ThrowsAsync<InvalidInputException>(() =>
            Engine.Send(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = Trust, PermissionsBoundary = "not-an-arn-at-all-really" }))).Message);
        await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new GetRoleRequest { RoleName = name }));   // not created

        await NewRole(name);
        Assert.Equal($"Policy {ReadOnly} does not exist or is not attachable.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new AttachRolePolicyRequest { RoleName = name, PolicyArn = ReadOnly }))).Message);
        Assert.Equal($"Policy {ReadOnly} was not found.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new DetachRolePolicyRequest { RoleName = name, PolicyArn = ReadOnly }))).Message);
        Assert.Equal("The role with name nobody cannot be found.",
            (await Assert.ThrowsAsync<NoSuchEntityException>(() => Engine.Send(new AttachRolePolicyRequest { RoleName = "nobody", PolicyArn = ReadOnly }))).Message);
        var attached = await Engine.Send(new ListAttachedRolePoliciesRequest { RoleName = name });
        Assert.Empty(attached.AttachedPolicies!);
        Assert.False(attached.IsTruncated);
    }

    [Fact]
    public async Task IAM_changes_are_audited_with_the_ARN_they_changed()
    {
        var actor = PortalServer.Unique("iam-admin");
        var name = PortalServer.Unique("audited");
        var role = (await As(actor, new CreateRoleRequest { RoleName = name, Path = "/apps/", AssumeRolePolicyDocument = Trust })).Role!;
        await As(actor, new TagRoleRequest { RoleName = name.ToUpperInvariant(), Tags = [T("team", "identity")] });
        await As(actor, new PutRolePolicyRequest { RoleName = name, PolicyName = "read", PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""" });
        var host = PortalServer.Unique("issuer");
        var oidc = (await As(actor, new CreateOpenIDConnectProviderRequest { Url = $"https://{host}.example.com", ClientIDList = ["app"] })).OpenIDConnectProviderArn!;
        await As(actor, new DeleteOpenIDConnectProviderRequest { OpenIDConnectProviderArn = oidc });
        await As(actor, new DeleteRolePolicyRequest { RoleName = name, PolicyName = "read" });
        await As(actor, new DeleteRoleRequest { RoleName = name });

        var entries = (await Engine.Send(new ListAuditEntriesRequest { Actor = actor, Limit = 100 })).Entries!.OrderBy(e => e.Id).ToList();
        Assert.Equal(
            [("CreateRole", role.Arn), ("TagRole", role.Arn), ("PutRolePolicy", role.Arn), ("CreateOpenIDConnectProvider", oidc),
             ("DeleteOpenIDConnectProvider", oidc), ("DeleteRolePolicy", role.Arn), ("DeleteRole", role.Arn)],
            entries.Select(e => (e.Action!, e.Target)));
        Assert.StartsWith("arn:aws:iam::", role.Arn);
        Assert.Contains(":role/apps/", role.Arn);
    }
}
