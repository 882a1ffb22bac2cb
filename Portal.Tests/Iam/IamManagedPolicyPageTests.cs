using Bunit;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract.Iam;
using Portal.Client.Pages;
using Portal.Client.Security;
using Portal.Tests.Portal;

namespace Portal.Tests.Iam;

/// <summary>The managed policies page and the role page's managed policies tab, against the real engine: each change
/// checked by what IAM holds afterwards.</summary>
public sealed class IamManagedPolicyPageTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    static string Unique(string stem) => $"{stem}-{Guid.NewGuid():n}"[..(stem.Length + 9)];

    const string ReadObjects = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    static void Document<T>(IRenderedComponent<T> page, string text) where T : Microsoft.AspNetCore.Components.IComponent
    {
        if (page.FindAll("[data-testid='code-text']").Count == 0) Input(page, "code-plain").Change(true);
        page.WaitForElement("[data-testid='code-text']", Wait);
        Input(page, "code-text").Input(text);
    }

    [Fact]
    public void A_policy_is_created_with_validation_and_gets_a_new_default_version_from_the_page()
    {
        var name = Unique("page-policy");
        var page = Ctx.Render<IamPolicies>();
        page.WaitForElement("[data-testid='managed-policies']", Wait);
        Press(page, "create-managed-policy");
        Input(page, "new-managed-policy-name").Change(name);
        const string Malformed = """{"Version":"2012-10-17","Statement":[{"Effect":"Perhaps","Action":"s3:*","Resource":"*"}]}""";
        // What IAM answers for it, read from the engine with another name: the page shows that message under the editor.
        var said = Assert.Throws<MalformedPolicyDocumentException>(() => Engine.Setup(new CreatePolicyRequest { PolicyName = Unique("never"), PolicyDocument = Malformed })).Message;
        Document(page, Malformed);
        Press(page, "new-managed-policy-create");
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".trigger-code-plain .mud-input-helper-text"), e => e.TextContent.Contains(said, StringComparison.Ordinal)), Wait);
        Assert.DoesNotContain(Engine.Setup(new ListPoliciesRequest()).Policies!, p => p.PolicyName == name);   // nothing created

        Document(page, ReadObjects);
        Press(page, "new-managed-policy-create");
        page.WaitForAssertion(() => Assert.Contains($"Policy {name} created.", Snackbars), Wait);
        var arn = Assert.Single(Engine.Setup(new ListPoliciesRequest()).Policies!, p => p.PolicyName == name).Arn!;
        page.WaitForElement("[data-testid='version-v1']", Wait);

        Document(page, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}""");
        Press(page, "save-version");
        page.WaitForAssertion(() => Assert.Contains("New version saved.", Snackbars), Wait);
        Assert.Equal("v2", Engine.Setup(new GetPolicyRequest { PolicyArn = arn }).Policy!.DefaultVersionId);
        page.WaitForAssertion(() => Assert.Contains("(default)", page.Find("[data-testid='version-v2']").TextContent), Wait);
    }

    [Fact]
    public void The_role_page_attaches_a_policy_sets_a_boundary_from_a_list_and_a_viewer_changes_nothing()
    {
        var role = Unique("page-role");
        Engine.Setup(new CreateRoleRequest { RoleName = role, AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool("us-east-1:" + Guid.NewGuid(), true) });
        var policy = Engine.Setup(new CreatePolicyRequest { PolicyName = Unique("attach-me"), PolicyDocument = ReadObjects }).Policy!;
        var boundary = Engine.Setup(new CreatePolicyRequest { PolicyName = Unique("bound-me"), PolicyDocument = ReadObjects }).Policy!;

        var page = Ctx.Render<IamRoleDetail>(p => p.Add(d => d.Name, role));
        page.WaitForElement("[data-testid='role-tabs']", Wait);
        Tab(page, "Managed policies");
        page.WaitForElement("[data-testid='attach-picker']", Wait);
        Choose(page, "attach-picker", policy.PolicyName!);
        Press(page, "attach-policy");
        page.WaitForElement($"[data-testid='attached-{policy.PolicyName}']", Wait);
        Assert.Equal([policy.Arn], Engine.Setup(new ListAttachedRolePoliciesRequest { RoleName = role }).AttachedPolicies!.Select(a => a.PolicyArn));

        Choose(page, "boundary-picker", boundary.PolicyName!);
        Press(page, "set-boundary");
        page.WaitForAssertion(() => Assert.Contains(boundary.Arn!, page.Find("[data-testid='boundary-current']").TextContent), Wait);
        Assert.Equal(boundary.Arn, Engine.Setup(new GetRoleRequest { RoleName = role }).Role!.PermissionsBoundary?.PermissionsBoundaryArn);

        var viewer = Ctx.Render<IamRoleDetail>(p => p.Add(d => d.Name, role).Add(d => d.Access, new OperatorAccess(OperatorRoles.Viewer)));
        viewer.WaitForElement("[data-testid='role-tabs']", Wait);
        Tab(viewer, "Managed policies");
        viewer.WaitForElement($"[data-testid='attached-{policy.PolicyName}']", Wait);
        Assert.Empty(viewer.FindAll("[data-testid='attach-policy']"));
        Assert.Empty(viewer.FindAll("[data-testid='set-boundary']"));
        Assert.Empty(viewer.FindAll($"[data-testid='detach-{policy.PolicyName}']"));
    }
}
