using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Imports;

/// <summary>A pool's import jobs: lookup, the upload link and the contract's shape.</summary>
public sealed class UserImportJobs(PortalDb db, IOptions<PortalOptions> portal, TimeProvider clock)
{
    /// <summary>Cognito marks a job Expired when it was created and not started within 24 hours (its documentation says
    /// 24 to 48; Portal takes the lower bound): the pre-signed URL is then refused and the job's data deleted.</summary>
    public static readonly TimeSpan StartWindow = TimeSpan.FromHours(24);

    public const string ExpiredMessage = "The job was not started within 24 hours of its creation; it expired and its data was deleted.";

    /// <summary>A Created job past <see cref="StartWindow"/>: Expired, whether or not the runner has marked it yet.</summary>
    public static bool IsExpired(UserImportJobRow job, DateTimeOffset now) =>
        job.Status == UserImportJobStatus.Created && job.CreationDate + StartWindow <= now;

    /// <summary>Marks the jobs past their start window Expired and deletes their files (the runner calls it every round).</summary>
    public static Task<int> Expire(PortalDb db, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - StartWindow;
        return db.Set<UserImportJobRow>().Where(j => j.Status == UserImportJobStatus.Created && j.CreationDate <= before)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, UserImportJobStatus.Expired).SetProperty(j => j.CompletionDate, now)
                .SetProperty(j => j.Csv, (string?)null).SetProperty(j => j.CompletionMessage, ExpiredMessage), ct);
    }

    /// <summary>Where a job's file is uploaded with PUT: <c>{PublicBaseUrl}/user-import/{token}</c>.</summary>
    public const string UploadPath = "/user-import/";

    const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public DbSet<UserImportJobRow> Rows => db.Set<UserImportJobRow>();

    public static string NewJobId() => "import-" + RandomNumberGenerator.GetString(Alphanumerics, 10);

    public static string NewUploadToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<UserImportJobRow> Get(string poolId, string? jobId, CancellationToken ct) =>
        await Rows.FirstOrDefaultAsync(j => j.UserPoolId == poolId && j.JobId == jobId, ct)
        ?? throw new ResourceNotFoundException("Import job not found.");

    /// <summary>Stores a job's file, once, while the job waits for it: a conditional update, so of two uploads one wins.</summary>
    public async Task<bool> Store(string uploadToken, string csv, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - StartWindow;
        return await Rows.Where(j => j.UploadToken == uploadToken && j.UploadedAt == null && j.Status == UserImportJobStatus.Created && j.CreationDate > before)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Csv, csv).SetProperty(j => j.UploadedAt, now), ct) == 1;
    }

    public UserImportJobType ToType(UserImportJobRow job)
    {
        var now = clock.GetUtcNow();
        return IsExpired(job, now) ? Shape(job) with
        {
            Status = UserImportJobStatus.Expired,
            CompletionDate = job.CreationDate + StartWindow,
            CompletionMessage = ExpiredMessage,
        } : Shape(job);
    }

    UserImportJobType Shape(UserImportJobRow job) => new()
    {
        JobName = job.JobName,
        JobId = job.JobId,
        UserPoolId = job.UserPoolId,
        // The link is only good while the job waits for its file, as Cognito's presigned URL is only good before the start.
        PreSignedUrl = portal.Value.PublicBaseUrl!.TrimEnd('/') + UploadPath + job.UploadToken,
        CreationDate = job.CreationDate,
        StartDate = job.StartDate,
        CompletionDate = job.CompletionDate,
        Status = job.Status,
        CloudWatchLogsRoleArn = job.CloudWatchLogsRoleArn,
        ImportedUsers = job.ImportedUsers,
        SkippedUsers = job.SkippedUsers,
        FailedUsers = job.FailedUsers,
        CompletionMessage = job.CompletionMessage,
    };
}
