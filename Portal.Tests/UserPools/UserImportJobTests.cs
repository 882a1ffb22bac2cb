using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.UserPools.Imports;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>CSV user import jobs over the wire: Cognito's header, the one-time upload link, the background import (users
/// RESET_REQUIRED, counts, each failed row's reason in the job's log), stop, paging, errors, and two instances never
/// running one job.</summary>
[Collection(ServerCollection.Name)]
public sealed class UserImportJobTests(PortalServer server)
{
    readonly UsersKit kit = new(server);
    ICognito Cognito => kit.Cognito;
    static readonly HttpClient Http = new();

    const string Role = "arn:aws:iam::000000000000:role/CognitoImportLogs";

    Task<string> Pool() => kit.Pool(new CreateUserPoolRequest
    {
        AutoVerifiedAttributes = ["email"],
        Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String", Mutable = true }],
    });

    /// <summary>A file with the pool's header and one row per user (username, email, email_verified, custom:tenant).</summary>
    async Task<string> Csv(string pool, params (string Username, string Email, string Verified, string Tenant)[] users)
    {
        var header = (await Cognito.Send(new GetCSVHeaderRequest { UserPoolId = pool })).CSVHeader!;
        var text = new StringBuilder(string.Join(',', header)).Append("\r\n");
        foreach (var u in users)
            text.Append(string.Join(',', header.Select(c => c switch
            {
                "cognito:username" => u.Username,
                "email" => u.Email,
                "email_verified" => u.Verified,
                "custom:tenant" => u.Tenant,
                "cognito:mfa_enabled" => "false",
                _ => "",
            }))).Append("\r\n");
        return text.ToString();
    }

    async Task<UserImportJobType> Create(string pool, string name = "import") =>
        (await Cognito.Send(new CreateUserImportJobRequest { UserPoolId = pool, JobName = name, CloudWatchLogsRoleArn = Role })).UserImportJob!;

    static async Task<HttpStatusCode> Upload(string url, string csv)
    {
        using var response = await Http.PutAsync(url, new StringContent(csv, Encoding.UTF8, "text/csv"));
        return response.StatusCode;
    }

    async Task<UserImportJobType> Finished(string pool, string jobId)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = (await Cognito.Send(new DescribeUserImportJobRequest { UserPoolId = pool, JobId = jobId })).UserImportJob!;
            if (job.Status is UserImportJobStatus.Succeeded or UserImportJobStatus.Failed or UserImportJobStatus.Stopped) return job;
            await Task.Delay(50);
        }
        throw new TimeoutException("The import job did not finish.");
    }

    Task<List<UserImportLogRow>> Log(string jobId) =>
        kit.Db(db => db.Set<UserImportLogRow>().AsNoTracking().Where(l => l.JobId == jobId).OrderBy(l => l.Id).ToListAsync());

    [Fact]
    public async Task The_header_is_the_pools_attributes_then_the_cognito_columns()
    {
        var pool = await Pool();
        var header = (await Cognito.Send(new GetCSVHeaderRequest { UserPoolId = pool })).CSVHeader!;
        Assert.Equal(["name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
            "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address",
            "updated_at", "custom:tenant", "cognito:mfa_enabled", "cognito:username"], header);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new GetCSVHeaderRequest { UserPoolId = "us-east-1_Nonexist0" }));
    }

    [Fact]
    public async Task A_file_is_imported_as_reset_required_users_with_skipped_and_failed_rows_logged()
    {
        var pool = await Pool();
        await kit.User(pool, "existing", ("email", "existing@example.com"));
        var csv = await Csv(pool, ("ann", "ann@example.com", "true", "blue"), ("existing", "other@example.com", "true", ""),
            ("nobody-verified", "nv@example.com", "false", ""), ("ben", "ben@example.com", "TRUE", "red"));
        var job = await Create(pool, "first import");
        Assert.Equal(UserImportJobStatus.Created, job.Status);
        Assert.Matches("^import-[0-9a-zA-Z]{10}$", job.JobId);
        Assert.StartsWith(server.BaseUrl + "/user-import/", job.PreSignedUrl);
        Assert.Equal(Role, job.CloudWatchLogsRoleArn);

        Assert.Equal(HttpStatusCode.OK, await Upload(job.PreSignedUrl!, csv));
        var started = (await Cognito.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = job.JobId })).UserImportJob!;
        Assert.NotNull(started.StartDate);
        var done = await Finished(pool, job.JobId!);
        Assert.Equal(UserImportJobStatus.Succeeded, done.Status);
        Assert.Equal((2L, 1L, 1L), (done.ImportedUsers, done.SkippedUsers, done.FailedUsers));
        Assert.NotNull(done.CompletionDate);

        var ann = await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "ann" });
        Assert.Equal(UserStatus.ResetRequired, ann.UserStatus);
        var attributes = UsersKit.Attributes(ann.UserAttributes);
        Assert.Equal("ann@example.com", attributes["email"]);
        Assert.Equal("true", attributes["email_verified"]);
        Assert.Equal("blue", attributes["custom:tenant"]);
        Assert.Null((await kit.Row(pool, "ann")).PasswordHash);
        Assert.Equal(UserStatus.ResetRequired, (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "ben" })).UserStatus);
        // The existing user was left as it was.
        Assert.Equal("existing@example.com",
            UsersKit.Attributes((await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "existing" })).UserAttributes)["email"]);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "nobody-verified" }));

        var log = await Log(job.JobId!);
        var failed = Assert.Single(log, l => l.Level == "ERROR");
        Assert.Equal((4, "nobody-verified"), (failed.LineNumber!.Value, failed.Username));
        Assert.Contains("auto verified attributes", failed.Message);
        var skipped = Assert.Single(log, l => l.Level == "SKIPPED");
        Assert.Equal((3, "existing"), (skipped.LineNumber!.Value, skipped.Username));
    }

    [Fact]
    public async Task The_upload_url_takes_one_file_while_the_job_waits_for_it()
    {
        var pool = await Pool();
        var job = await Create(pool);
        var csv = await Csv(pool, ("ann", "ann@example.com", "true", ""));
        await Assert.ThrowsAsync<PreconditionNotMetException>(() => Cognito.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = job.JobId }));
        Assert.Equal(HttpStatusCode.OK, await Upload(job.PreSignedUrl!, csv));
        Assert.Equal(HttpStatusCode.Forbidden, await Upload(job.PreSignedUrl!, csv));
        Assert.Equal(HttpStatusCode.NotFound, await Upload(server.BaseUrl + "/user-import/not-a-token", csv));
        // Two uploads at once: the database lets one in.
        var other = await Create(pool);
        var both = await Task.WhenAll(Upload(other.PreSignedUrl!, csv), Upload(other.PreSignedUrl!, csv));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Forbidden], both.Order());
    }

    [Fact]
    public async Task Import_job_errors_are_Cognitos()
    {
        var pool = await Pool();
        var missing = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new CreateUserImportJobRequest { UserPoolId = pool, JobName = "x" }));
        Assert.Contains("cloudWatchLogsRoleArn", missing.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new CreateUserImportJobRequest { UserPoolId = pool, JobName = "x", CloudWatchLogsRoleArn = "not an arn at all, no" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            Cognito.Send(new CreateUserImportJobRequest { UserPoolId = "us-east-1_Nonexist0", JobName = "x", CloudWatchLogsRoleArn = Role }));
        var notFound = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            Cognito.Send(new DescribeUserImportJobRequest { UserPoolId = pool, JobId = "import-Nonexistent0" }));
        Assert.Equal("Import job not found.", notFound.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new ListUserImportJobsRequest { UserPoolId = pool }));
        var job = await Create(pool);
        await Assert.ThrowsAsync<PreconditionNotMetException>(() => Cognito.Send(new StopUserImportJobRequest { UserPoolId = pool, JobId = job.JobId }));
        // Another pool's job is not found through this pool.
        var other = await Pool();
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new DescribeUserImportJobRequest { UserPoolId = other, JobId = job.JobId }));
    }

    [Fact]
    public async Task A_pool_with_a_running_import_cannot_be_deleted()
    {
        var pool = await Pool();
        var job = await Create(pool);
        // Held by another (live) instance: this server's runner leaves it alone.
        var now = server.Clock.GetUtcNow();
        await kit.Db(db => db.Set<UserImportJobRow>().Where(j => j.JobId == job.JobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, UserImportJobStatus.InProgress).SetProperty(j => j.ClaimedBy, "other-instance").SetProperty(j => j.HeartbeatAt, now)));
        await Assert.ThrowsAsync<UserImportInProgressException>(() => Cognito.Send(new DeleteUserPoolRequest { UserPoolId = pool }));
        await kit.Db(db => db.Set<UserImportJobRow>().Where(j => j.JobId == job.JobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, UserImportJobStatus.Stopped).SetProperty(j => j.ClaimedBy, (string?)null)));
        await Cognito.Send(new DeleteUserPoolRequest { UserPoolId = pool });
        Assert.Equal(0, await kit.Db(db => db.Set<UserImportJobRow>().CountAsync(j => j.JobId == job.JobId)));
    }

    [Fact]
    public async Task A_file_whose_header_is_not_the_pools_fails_the_job()
    {
        var pool = await Pool();
        var job = await Create(pool);
        Assert.Equal(HttpStatusCode.OK, await Upload(job.PreSignedUrl!, "cognito:username,cognito:mfa_enabled,email,favourite_colour\nann,false,a@example.com,red\n"));
        await Cognito.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = job.JobId });
        var done = await Finished(pool, job.JobId!);
        Assert.Equal(UserImportJobStatus.Failed, done.Status);
        Assert.Contains("favourite_colour", done.CompletionMessage);
        Assert.Equal(0L, done.ImportedUsers);
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_in_pages()
    {
        var pool = await Pool();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await Create(pool, $"job {i}")).JobId!);
        var first = await Cognito.Send(new ListUserImportJobsRequest { UserPoolId = pool, MaxResults = 2 });
        Assert.Equal(2, first.UserImportJobs!.Count);
        Assert.NotNull(first.PaginationToken);
        var second = await Cognito.Send(new ListUserImportJobsRequest { UserPoolId = pool, MaxResults = 2, PaginationToken = first.PaginationToken });
        Assert.Single(second.UserImportJobs!);
        Assert.Null(second.PaginationToken);
        Assert.Equal(ids.AsEnumerable().Reverse(), first.UserImportJobs.Concat(second.UserImportJobs!).Select(j => j.JobId));
        var other = await Pool();
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new ListUserImportJobsRequest { UserPoolId = other, MaxResults = 2, PaginationToken = first.PaginationToken }));
    }

    /// <summary>A second instance (its own runner) races this server's runner for a large job: every row is counted once, and
    /// a job whose instance died (stale heartbeat) is taken over and finished.</summary>
    [Fact]
    public async Task Two_instances_never_run_one_job_and_a_dead_instances_job_is_taken_over()
    {
        var pool = await Pool();
        var rows = Enumerable.Range(0, 250).Select(i => ($"user{i:000}", $"user{i:000}@example.com", "true", "")).ToArray();
        var csv = await Csv(pool, rows);
        var job = await Create(pool);
        Assert.Equal(HttpStatusCode.OK, await Upload(job.PreSignedUrl!, csv));
        var second = new UserImportRunner(server.Services.GetRequiredService<IServiceScopeFactory>(),
            server.Services.GetRequiredService<IOptionsMonitor<UserImportOptions>>(), server.Clock, NullLogger<UserImportRunner>.Instance);
        await Cognito.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = job.JobId });
        await Task.WhenAll(second.Round(CancellationToken.None), second.Round(CancellationToken.None));
        var done = await Finished(pool, job.JobId!);
        Assert.Equal((250L, 0L, 0L), (done.ImportedUsers, done.SkippedUsers, done.FailedUsers));
        Assert.Equal(250, await kit.Db(db => db.Users.CountAsync(u => u.UserPoolId == pool)));

        // An instance died holding a job half done: after the stale period another finishes it from its cursor.
        var dead = await Create(pool, "dead");
        Assert.Equal(HttpStatusCode.OK, await Upload(dead.PreSignedUrl!,
            await Csv(pool, ("late1", "late1@example.com", "true", ""), ("late2", "late2@example.com", "true", ""))));
        var longAgo = server.Clock.GetUtcNow().AddHours(-1);
        await kit.Db(db => db.Set<UserImportJobRow>().Where(j => j.JobId == dead.JobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, UserImportJobStatus.InProgress).SetProperty(j => j.ClaimedBy, "dead-instance")
            .SetProperty(j => j.HeartbeatAt, longAgo).SetProperty(j => j.StartDate, longAgo).SetProperty(j => j.NextRow, 1)));
        await second.Round(CancellationToken.None);
        var resumed = await Finished(pool, dead.JobId!);
        Assert.Equal(UserImportJobStatus.Succeeded, resumed.Status);
        Assert.Equal(1L, resumed.ImportedUsers);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "late1" }));
        Assert.Equal(UserStatus.ResetRequired, (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "late2" })).UserStatus);
    }

    /// <summary>Cognito's rule: a job created and not started within its start window (24 hours) is Expired, its pre-signed
    /// URL refused and its data deleted. The server's clock (TimeProvider) decides; the job's creation is set back instead of
    /// moving the shared clock. A job just inside the window is untouched.</summary>
    [Fact]
    public async Task A_job_not_started_within_24_hours_expires()
    {
        var pool = await Pool();
        var late = await Create(pool, "late");
        var waiting = await Create(pool, "waiting");
        var csv = await Csv(pool, ("expired1", "expired1@example.com", "true", ""));
        Assert.Equal(HttpStatusCode.OK, await Upload(late.PreSignedUrl!, csv));
        var now = server.Clock.GetUtcNow();
        var created = now - UserImportJobs.StartWindow;
        var inside = now - UserImportJobs.StartWindow + TimeSpan.FromMinutes(5);
        await kit.Db(db => db.Set<UserImportJobRow>().Where(j => j.JobId == late.JobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.CreationDate, created)));
        await kit.Db(db => db.Set<UserImportJobRow>().Where(j => j.JobId == waiting.JobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.CreationDate, inside)));

        var described = (await Cognito.Send(new DescribeUserImportJobRequest { UserPoolId = pool, JobId = late.JobId })).UserImportJob!;
        Assert.Equal(UserImportJobStatus.Expired, described.Status);
        // The wire carries milliseconds.
        Assert.InRange(described.CompletionDate!.Value, now - TimeSpan.FromMilliseconds(1), now + TimeSpan.FromMilliseconds(1));
        Assert.Equal(UserImportJobs.ExpiredMessage, described.CompletionMessage);
        var start = await Assert.ThrowsAsync<PreconditionNotMetException>(() =>
            Cognito.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = late.JobId }));
        Assert.Equal("Import job is in Expired state and cannot be started.", start.Message);
        // A job past its window that never had its file: the pre-signed URL is refused.
        var unused = await Create(pool, "unused");
        await kit.Db(db => db.Set<UserImportJobRow>().Where(j => j.JobId == unused.JobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.CreationDate, created)));
        Assert.Equal(HttpStatusCode.Forbidden, await Upload(unused.PreSignedUrl!, csv));

        // The runner's round writes it down and deletes the file.
        await server.Services.GetRequiredService<UserImportRunner>().Round(CancellationToken.None);
        var row = await kit.Db(db => db.Set<UserImportJobRow>().AsNoTracking().FirstAsync(j => j.JobId == late.JobId));
        Assert.Equal((UserImportJobStatus.Expired, (string?)null), (row.Status, row.Csv));
        Assert.Equal(UserImportJobStatus.Expired,
            (await Cognito.Send(new ListUserImportJobsRequest { UserPoolId = pool, MaxResults = 10 })).UserImportJobs!.Single(j => j.JobId == late.JobId).Status);

        // Five minutes inside its window, the other job still takes its file and starts.
        Assert.Equal(UserImportJobStatus.Created,
            (await Cognito.Send(new DescribeUserImportJobRequest { UserPoolId = pool, JobId = waiting.JobId })).UserImportJob!.Status);
        Assert.Equal(HttpStatusCode.OK, await Upload(waiting.PreSignedUrl!, await Csv(pool, ("inwindow1", "inwindow1@example.com", "true", ""))));
        await Cognito.Send(new StartUserImportJobRequest { UserPoolId = pool, JobId = waiting.JobId });
        Assert.Equal(UserImportJobStatus.Succeeded, (await Finished(pool, waiting.JobId!)).Status);
    }
}
