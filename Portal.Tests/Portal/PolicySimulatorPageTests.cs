using Bunit;
using Portal.Client.Components.IdentityPools;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

/// <summary>The policy simulator page against the real engine: a pasted policy, a role's inline policies and a guest
/// identity of an identity pool (its role and Cognito's scope-down), each showing the decision the engine makes and the
/// deciding statement marked in its policy.</summary>
public sealed class PolicySimulatorPageTests : PortalPageTest
{
    EngineCognito Engine => (EngineCognito)Cognito;

    static string Unique(string stem) => $"{stem}-{Guid.NewGuid():n}"[..(stem.Length + 9)];

    const string Policy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/public/*"},
            {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/public/secret/*"}
          ]
        }
        """;

    static void Source<T>(IRenderedComponent<T> page, int index) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("[data-testid='sim-source'] input[type=radio]")[index].Click();

    void Simulate(IRenderedComponent<PolicySimulator> page, string action, string resource, string? context = null)
    {
        Input(page, "sim-action").Change(action);
        Input(page, "sim-resource").Change(resource);
        if (context is not null) Input(page, "sim-context").Change(context);
        Press(page, "sim-run");
    }

    [Fact]
    public void A_pasted_policy_shows_the_decision_and_marks_the_deciding_statement()
    {
        var page = Ctx.Render<PolicySimulator>();
        Source(page, 2);
        page.WaitForElement("[data-testid='sim-policy']", Wait);
        Input(page, "sim-policy").Change(Policy);

        Simulate(page, "s3:GetObject", "arn:aws:s3:::bucket/public/a.txt");
        page.WaitForAssertion(() => Assert.Equal("Allowed", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Equal("""{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/public/*"}""",
            page.Find("[data-testid='deciding-statement']").TextContent);
        Assert.Contains("the pasted policy (line 4)", page.Find("[data-testid='sim-deciding']").TextContent);
        // The whole document is shown around the mark, as it was given.
        Assert.Equal(Policy, page.Find("[data-testid='policy-highlight']").TextContent);

        Simulate(page, "s3:GetObject", "arn:aws:s3:::bucket/public/secret/key");
        page.WaitForAssertion(() => Assert.Equal("Denied explicitly", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.StartsWith("""{"Sid": "NoSecrets", "Effect": "Deny",""", page.Find("[data-testid='deciding-statement']").TextContent, StringComparison.Ordinal);

        Simulate(page, "s3:PutObject", "arn:aws:s3:::bucket/public/a.txt");
        page.WaitForAssertion(() => Assert.Equal("Denied (no statement allows)", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Empty(page.FindAll("[data-testid='deciding-statement']"));
        Assert.NotEmpty(page.FindAll("[data-testid='sim-no-statement']"));
    }

    [Fact]
    public void A_broken_policy_or_context_line_is_reported_not_simulated()
    {
        var page = Ctx.Render<PolicySimulator>();
        Source(page, 2);
        page.WaitForElement("[data-testid='sim-policy']", Wait);
        Input(page, "sim-policy").Change("""{"Version":"2012-10-17","Statement":{"Effect":"Maybe","Action":"s3:*","Resource":"*"}}""");
        Simulate(page, "s3:GetObject", "*");
        page.WaitForAssertion(() => Assert.Contains("Invalid effect: Maybe", page.Find("[data-testid='sim-error']").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid='sim-result']"));

        Simulate(page, "s3:GetObject", "*", "aws:SourceIp");
        page.WaitForAssertion(() => Assert.Contains("\"aws:SourceIp\" is not key=value.", page.Find("[data-testid='sim-error']").TextContent), Wait);
    }

    [Fact]
    public void A_roles_inline_policies_decide_with_the_context_keys_given()
    {
        var roleName = Unique("sim-role");
        var role = Engine.Setup(new CreateRoleRequest
        {
            RoleName = roleName,
            AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""",
        }).Role!;
        Engine.Setup(new PutRolePolicyRequest
        {
            RoleName = roleName, PolicyName = "office-only",
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}""",
        });
        var page = Ctx.Render<PolicySimulator>();
        Source(page, 1);
        page.WaitForElement("[data-testid='sim-role']", Wait);
        Choose(page, "sim-role", roleName);

        Simulate(page, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Notes", "aws:SourceIp=10.1.2.3");
        page.WaitForAssertion(() => Assert.Equal("Allowed", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Contains(role.Arn!, page.Find("[data-testid='sim-subject']").TextContent);
        Assert.Contains("inline policy office-only", page.Find("[data-testid='sim-deciding']").TextContent);
        Assert.Contains("\"IpAddress\"", page.Find("[data-testid='deciding-statement']").TextContent);

        Simulate(page, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Notes", "");
        page.WaitForAssertion(() => Assert.Equal("Denied (no statement allows)", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Contains("aws:SourceIp", page.Find("[data-testid='sim-missing']").TextContent);
    }

    [Fact]
    public void A_guest_identity_gets_the_unauthenticated_role_scoped_down_as_Cognito_scopes_guests()
    {
        var roleName = Unique("guest-role");
        var pool = Engine.Setup(new CreateIdentityPoolRequest { IdentityPoolName = Unique("guests"), AllowUnauthenticatedIdentities = true }).IdentityPoolId!;
        var role = Engine.Setup(new CreateRoleRequest { RoleName = roleName, AssumeRolePolicyDocument = TrustPolicies.ForIdentityPool(pool, false) }).Role!;
        Engine.Setup(new PutRolePolicyRequest
        {
            RoleName = roleName, PolicyName = "guests",
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:ListRoles"],"Resource":"*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket","Condition":{"StringLike":{"s3:prefix":"private/${cognito-identity.amazonaws.com:sub}/*"}}}]}""",
        });
        Engine.Setup(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = role.Arn! } });
        var identity = Engine.Setup(new GetIdRequest { IdentityPoolId = pool }).IdentityId!;

        var page = Ctx.Render<PolicySimulator>();
        Input(page, "sim-pool").Change(pool);
        Input(page, "sim-identity").Change(identity);
        Simulate(page, "s3:GetObject", "arn:aws:s3:::bucket/public/a.txt");
        page.WaitForAssertion(() => Assert.Equal("Allowed", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Contains($"the unauthenticated role {role.Arn}", page.Find("[data-testid='sim-subject']").TextContent);

        // The role allows iam:ListRoles, Cognito's guest scope-down does not.
        Simulate(page, "iam:ListRoles", "*");
        page.WaitForAssertion(() => Assert.Equal("Denied (no statement allows)", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Contains("guest scope-down", page.Find("[data-testid='sim-boundary']").TextContent);

        // The identity's own id fills ${cognito-identity.amazonaws.com:sub}.
        Simulate(page, "s3:ListBucket", "arn:aws:s3:::bucket", $"s3:prefix=private/{identity}/photos");
        page.WaitForAssertion(() => Assert.Equal("Allowed", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
        Assert.Contains(page.FindAll("[data-testid='sim-context-used'] tr"),
            r => r.TextContent.Contains("cognito-identity.amazonaws.com:sub", StringComparison.Ordinal) && r.TextContent.Contains(identity, StringComparison.Ordinal));
        Simulate(page, "s3:ListBucket", "arn:aws:s3:::bucket", "s3:prefix=private/someone-else/photos");
        page.WaitForAssertion(() => Assert.Equal("Denied (no statement allows)", page.Find("[data-testid='sim-decision']").TextContent.Trim()), Wait);
    }
}
