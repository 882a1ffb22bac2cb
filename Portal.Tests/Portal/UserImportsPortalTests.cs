using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>The User imports page in chromium (an administrator creates a job from a CSV file, watches it finish and reads
/// the failed row's reason in its log; axe-clean; docs/screenshots/portal-user-imports.png), and the role boundary: viewers
/// and operators read jobs but cannot create, upload, start or stop them, nor see the upload link.</summary>
[Collection(ServerCollection.Name)]
public sealed class UserImportsPortalTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();
    const string Role = "arn:aws:iam::000000000000:role/CognitoImportLogs";

    sealed class Signed(params Claim[] claims) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    OperatorCognito As(string group) => new(Engine, new Signed(new Claim("cognito:username", "op-" + group), new Claim("cognito:groups", group)),
        TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());

    async Task<string> Pool() =>
        (await Engine.Send(new CreateUserPoolRequest { PoolName = "imports-" + Guid.NewGuid().ToString("n")[..6], AutoVerifiedAttributes = ["email"] })).UserPool!.Id!;

    async Task<string> Csv(string pool, params string[] rows)
    {
        var header = (await Engine.Send(new GetCSVHeaderRequest { UserPoolId = pool })).CSVHeader!;
        string Row(string spec)
        {
            var (username, email, verified) = (spec.Split(',')[0], spec.Split(',')[1], spec.Split(',')[2]);
            return string.Join(',', header.Select(c => c switch
            {
                "cognito:username" => username,
                "email" => email,
                "email_verified" => verified,
                "cognito:mfa_enabled" => "false",
                _ => "",
            }));
        }
        return string.Join("\n", rows.Select(Row).Prepend(string.Join(',', header))) + "\n";
    }

    [Fact]
    public async Task Viewers_and_operators_read_import_jobs_but_only_administrators_run_them()
    {
        var pool = await Pool();
        var admin = As("administrators");
        var job = (await admin.Send(new CreateUserImportJobRequest { UserPoolId = pool, JobName = "roles", CloudWatchLogsRoleArn = Role })).UserImportJob!;
        Assert.NotNull(job.PreSignedUrl);
        foreach (var group in new[] { "viewers", "operators" })
        {
            var weaker = As(group);
            var listed = (await weaker.Send(new ListUserImportJobsRequest { UserPoolId = pool, MaxResults = 10 })).UserImportJobs!;
            Assert.Null(Assert.Single(listed).PreSignedUrl);
            Assert.Null((await weaker.Send(new DescribeUserImportJobRequest { UserPoolId = pool, JobId = job.JobId })).UserImportJob!.PreSignedUrl);
            await weaker.Send(new ListUserImportLogRequest { UserPoolId = pool, JobId = job.JobId });
            await Assert.ThrowsAsync<AccessDeniedException>(() => weaker.Send(new CreateUserImportJobRequest { UserPoolId = pool, JobName = "x", CloudWatchLogsRoleArn = Role }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => weaker.Send(new UploadUserImportFileRequest { UserPoolId = pool, JobId = job.JobId, CsvFile = "x" }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => weaker.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = job.JobId }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => weaker.Send(new StopUserImportJobRequest { UserPoolId = pool, JobId = job.JobId }));
        }
        // The administrator's upload is audited without the file (personal data) and without the upload link.
        var csv = await Csv(pool, "ann,ann@example.com,true");
        await admin.Send(new UploadUserImportFileRequest { UserPoolId = pool, JobId = job.JobId, CsvFile = csv });
        await Assert.ThrowsAsync<PreconditionNotMetException>(() =>
            admin.Send(new UploadUserImportFileRequest { UserPoolId = pool, JobId = job.JobId, CsvFile = csv }));
        await using var scope = server.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<PortalDb>().Audit.AsNoTracking().Where(a => a.UserPoolId == pool).ToListAsync();
        Assert.Contains(audit, a => a.Action == "UploadUserImportFile");
        Assert.Contains(audit, a => a.Action == "CreateUserImportJob");
        var everything = string.Join("\n", audit.Select(a => System.Text.Json.JsonSerializer.Serialize(a)));
        Assert.DoesNotContain("ann@example.com", everything);
        Assert.DoesNotContain(job.PreSignedUrl!, everything);
    }

    [Fact]
    public async Task An_administrator_imports_a_file_and_reads_the_failed_rows_reason()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        var pool = await Pool();
        // An earlier job, finished, so the list shows a completed job beside the new one.
        var earlier = (await Engine.Send(new CreateUserImportJobRequest { UserPoolId = pool, JobName = "staff-2025", CloudWatchLogsRoleArn = Role })).UserImportJob!;
        await Engine.Send(new UploadUserImportFileRequest
        {
            UserPoolId = pool, JobId = earlier.JobId,
            CsvFile = await Csv(pool, "carol,carol@example.com,true", "dave,dave@example.com,true", "erin,erin@example.com,true"),
        });
        await Engine.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = earlier.JobId });
        var file = Path.Combine(Path.GetTempPath(), "customers-" + Guid.NewGuid().ToString("n")[..6] + ".csv");
        await File.WriteAllTextAsync(file, await Csv(pool, "ann,ann@example.com,true", "ben,ben@example.com,true", "carol,carol@example.com,true",
            "no-email,,false"));

        var page = await browser.NewPage(1280, 900);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(PortalAxeTests.AxeScript.Value);
        await Go(page, $"{server.BaseUrl}/user-imports?pool={pool}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "User imports", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("import-status").First).ToHaveTextAsync("Succeeded");

        await page.GetByTestId("import-role-arn").FillAsync(Role);
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByTestId("import-choose").ClickAsync());
        await chooser.SetFilesAsync(file);
        await Assertions.Expect(page.GetByTestId("import-file-name")).ToHaveTextAsync(Path.GetFileName(file));
        await page.GetByTestId("import-template").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-template-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("cognito:username"));
        await page.GetByTestId("import-start").ClickAsync();

        var row = page.GetByTestId("import-jobs").Locator("tbody tr").Filter(new() { HasText = Path.GetFileNameWithoutExtension(file) });
        await Assertions.Expect(row.GetByTestId("import-status")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(row.GetByTestId("import-progress")).ToHaveTextAsync("4 of 4 rows");
        await Assertions.Expect(row.GetByTestId("import-imported")).ToHaveTextAsync("2");
        await Assertions.Expect(row.GetByTestId("import-skipped")).ToHaveTextAsync("1");
        await Assertions.Expect(row.GetByTestId("import-failed")).ToHaveTextAsync("1");
        await row.ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-log")).ToContainTextAsync("does not set any of the auto verified attributes");
        await Assertions.Expect(page.GetByTestId("import-log")).ToContainTextAsync("already exists");
        await Assertions.Expect(page.GetByTestId("import-completion")).ToHaveTextAsync("Import Job Completed Successfully.");

        await page.AnimationsDone();
        var violations = await PortalAxeTests.Serious(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-user-imports.png"), FullPage = true });
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        var ann = await Engine.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "ann" });
        Assert.Equal(UserStatus.ResetRequired, ann.UserStatus);
        File.Delete(file);
    }
}
