using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using Portal.Tests.Portal;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Iam;

/// <summary>The managed policies page and the role page's managed policies tab in chromium, as an administrator: scanned
/// by axe-core and photographed (docs/screenshots/portal-iam-policies.png, portal-iam-role-managed.png).</summary>
[Collection(ServerCollection.Name)]
public sealed class IamManagedPolicyPortalTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    [Fact]
    public async Task An_administrator_reads_a_policys_versions_and_a_roles_attached_policies_and_boundary()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var stem = "shot-" + Guid.NewGuid().ToString("n")[..6];
        var role = (await Engine.Send(new CreateRoleRequest
        {
            RoleName = stem + "-app",
            AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""",
        })).Role!;
        var photos = (await Engine.Send(new CreatePolicyRequest
        {
            PolicyName = stem + "-photos", Path = "/storage/", Description = "Read and write the user's own photos.",
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Sid":"OwnPhotos","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*"}]}""",
        })).Policy!;
        await Engine.Send(new CreatePolicyVersionRequest
        {
            PolicyArn = photos.Arn, SetAsDefault = true,
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Sid":"OwnPhotos","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*"}]}""",
        });
        var boundary = (await Engine.Send(new CreatePolicyRequest
        {
            PolicyName = stem + "-s3-only", PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        })).Policy!;
        await Engine.Send(new AttachRolePolicyRequest { RoleName = role.RoleName, PolicyArn = photos.Arn });
        await Engine.Send(new PutRolePermissionsBoundaryRequest { RoleName = role.RoleName, PermissionsBoundary = boundary.Arn });

        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        var violations = new List<string>();
        async Task Axe(string what)
        {
            await page.AnimationsDone();
            violations.AddRange((await PortalAxeTests.Serious(page)).Select(v => $"{what}: {v}"));
        }

        await Go(page, $"{server.BaseUrl}/iam/policies");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Managed policies", Exact = true })).ToBeVisibleAsync();
        await page.GetByTestId($"managed-policy-{photos.PolicyName}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("version-v2")).ToContainTextAsync("(default)");
        await Assertions.Expect(page.GetByTestId("managed-policy-detail")).ToContainTextAsync(photos.Arn!);
        await Axe("policies");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-iam-policies.png"), FullPage = true });

        await Go(page, $"{server.BaseUrl}/iam/roles/{role.RoleName}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Managed policies" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId($"attached-{photos.PolicyName}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("boundary-current")).ToContainTextAsync(boundary.Arn!);
        await Axe("role managed policies");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-iam-role-managed.png"), FullPage = true });
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
