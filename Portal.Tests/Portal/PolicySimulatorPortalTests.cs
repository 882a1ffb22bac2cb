using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>The policy simulator in chromium: an administrator asks whether a role may read a user's file and delete it,
/// sees the decision with the deciding statement marked in the role's policy, in the light and the dark theme, scanned
/// by axe-core and photographed (docs/screenshots/portal-policy-simulator.png).</summary>
[Collection(ServerCollection.Name)]
public sealed class PolicySimulatorPortalTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    [Fact]
    public async Task An_administrator_simulates_a_roles_request_and_sees_the_deciding_statement()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var name = "sim-" + Guid.NewGuid().ToString("n")[..6];
        await Engine.Send(new CreateRoleRequest
        {
            RoleName = name,
            AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""",
        });
        await Engine.Send(new PutRolePolicyRequest
        {
            RoleName = name, PolicyName = "own-files",
            PolicyDocument = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Sid": "OwnFiles",
                      "Effect": "Allow",
                      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                      "Resource": "arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*"
                    },
                    {
                      "Sid": "KeepOriginals",
                      "Effect": "Deny",
                      "Action": "s3:DeleteObject",
                      "Resource": "arn:aws:s3:::photos/private/*/originals/*"
                    }
                  ]
                }
                """,
        });
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

        await Go(page, $"{server.BaseUrl}/iam/simulator?role={name}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Policy simulator", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("sim-role")).ToContainTextAsync(name);
        const string sub = "us-east-1:5e0c2f8a-3b7d-4c1e-9a6f-2d8b7c4e1f03";
        await Field(page, "sim-action").FillAsync("s3:GetObject");
        await Field(page, "sim-resource").FillAsync($"arn:aws:s3:::photos/private/{sub}/2026/beach.jpg");
        await Field(page, "sim-context").FillAsync($"cognito-identity.amazonaws.com:sub={sub}");
        await page.GetByTestId("sim-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sim-decision")).ToHaveTextAsync("Allowed");
        await Assertions.Expect(page.GetByTestId("deciding-statement")).ToContainTextAsync("\"Sid\": \"OwnFiles\"");
        await Assertions.Expect(page.GetByTestId("sim-deciding")).ToContainTextAsync("inline policy own-files (line 4)");
        await Axe("allowed");

        // Deleting an original: the Deny decides, and it is the statement marked.
        await Field(page, "sim-action").FillAsync("s3:DeleteObject");
        await Field(page, "sim-resource").FillAsync($"arn:aws:s3:::photos/private/{sub}/originals/beach.raw");
        await page.GetByTestId("sim-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sim-decision")).ToHaveTextAsync("Denied explicitly");
        await Assertions.Expect(page.GetByTestId("deciding-statement")).ToContainTextAsync("\"Sid\": \"KeepOriginals\"");
        await Assertions.Expect(page.GetByTestId("deciding-statement")).Not.ToContainTextAsync("OwnFiles");
        await Axe("explicit deny");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-policy-simulator.png"), FullPage = true });
        await PortalAxeTests.Dark(page);
        await Axe("explicit deny, dark");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-policy-simulator-dark.png"), FullPage = true });
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task A_deciding_statement_in_a_managed_policy_is_highlighted_there_with_the_policy_and_its_version()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var name = "sim-managed-" + Guid.NewGuid().ToString("n")[..6];
        await Engine.Send(new CreateRoleRequest
        {
            RoleName = name,
            AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""",
        });
        var policy = (await Engine.Send(new CreatePolicyRequest
        {
            PolicyName = name + "-reports",
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Sid":"OldReports","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}""",
        })).Policy!;
        // Version 2 becomes the default: the one in force, and the one shown.
        await Engine.Send(new CreatePolicyVersionRequest
        {
            PolicyArn = policy.Arn, SetAsDefault = true,
            PolicyDocument = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Sid": "ReadReports",
                      "Effect": "Allow",
                      "Action": "s3:GetObject",
                      "Resource": "arn:aws:s3:::reports/*"
                    }
                  ]
                }
                """,
        });
        await Engine.Send(new AttachRolePolicyRequest { RoleName = name, PolicyArn = policy.Arn });

        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Go(page, $"{server.BaseUrl}/iam/simulator?role={name}");
        await Assertions.Expect(page.GetByTestId("sim-role")).ToContainTextAsync(name);
        await Field(page, "sim-action").FillAsync("s3:GetObject");
        await Field(page, "sim-resource").FillAsync("arn:aws:s3:::reports/2026/q4.pdf");
        await page.GetByTestId("sim-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sim-decision")).ToHaveTextAsync("Allowed");
        await Assertions.Expect(page.GetByTestId("sim-deciding")).ToContainTextAsync($"managed policy {name}-reports (version v2) (line 4)");
        await Assertions.Expect(page.GetByTestId("deciding-statement")).ToContainTextAsync("\"Sid\": \"ReadReports\"");
        await page.AnimationsDone();
        var violations = (await PortalAxeTests.Serious(page)).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
