using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Imports;

/// <summary>A pool's import jobs: lookup, the upload link and the contract's shape.</summary>
public sealed class UserImportJobs(PortalDb db, IOptions<PortalOptions> portal)
{
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
    public async Task<bool> Store(string uploadToken, string csv, DateTimeOffset now, CancellationToken ct) =>
        await Rows.Where(j => j.UploadToken == uploadToken && j.UploadedAt == null && j.Status == UserImportJobStatus.Created)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Csv, csv).SetProperty(j => j.UploadedAt, now), ct) == 1;

    public UserImportJobType ToType(UserImportJobRow job) => new()
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
