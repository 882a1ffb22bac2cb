using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Imports;

/// <summary>A CSV user import job (CreateUserImportJob). The file arrives once through the job's upload link (the
/// <see cref="UploadToken"/> is the permission, as a presigned S3 URL's signature is); the import runs in the background,
/// claimed by one instance at a time (<see cref="ClaimedBy"/>, kept alive by <see cref="HeartbeatAt"/>), and moves
/// <see cref="NextRow"/> forward with each batch it commits, so a restart resumes after the last committed batch.</summary>
public sealed class UserImportJobRow
{
    public required string JobId { get; set; }            // import-XXXXXXXXXX
    public required string UserPoolId { get; set; }
    public required string JobName { get; set; }
    public required string CloudWatchLogsRoleArn { get; set; }
    public required string UploadToken { get; set; }      // 256 random bits, base64url: the upload link's secret
    public string? Csv { get; set; }                      // the uploaded file, once
    public DateTimeOffset? UploadedAt { get; set; }
    public string Status { get; set; } = Portal.Client.Contract.UserImportJobStatus.Created;
    public DateTimeOffset CreationDate { get; set; }
    public DateTimeOffset? StartDate { get; set; }
    public DateTimeOffset? CompletionDate { get; set; }
    public long ImportedUsers { get; set; }
    public long SkippedUsers { get; set; }
    public long FailedUsers { get; set; }
    public string? CompletionMessage { get; set; }
    public int NextRow { get; set; }                      // data rows already processed (committed batches)
    public int? TotalRows { get; set; }                   // known once the job runs: the portal's progress
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
}

/// <summary>One line of a job's log (Cognito writes these to CloudWatch Logs): each skipped and failed row with its reason,
/// and the job's own start and end.</summary>
public sealed class UserImportLogRow
{
    public long Id { get; set; }
    public required string JobId { get; set; }
    public int? LineNumber { get; set; }                  // the file's line (the header is line 1)
    public string? Username { get; set; }
    public required string Level { get; set; }            // INFO, ERROR
    public required string Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class ImportModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<UserImportJobRow>(e =>
        {
            e.ToTable("UserImportJobs");
            e.HasKey(x => x.JobId);
            e.Property(x => x.JobId).HasMaxLength(55);
            e.Property(x => x.UserPoolId).HasMaxLength(55);
            e.Property(x => x.JobName).HasMaxLength(128);
            e.Property(x => x.CloudWatchLogsRoleArn).HasMaxLength(2048);
            e.Property(x => x.UploadToken).HasMaxLength(64);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.CompletionMessage).HasMaxLength(512);
            e.Property(x => x.ClaimedBy).HasMaxLength(64);
            e.HasIndex(x => x.UploadToken).IsUnique();
            e.HasIndex(x => new { x.UserPoolId, x.CreationDate });
            e.HasIndex(x => x.Status);
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<UserImportLogRow>(e =>
        {
            e.ToTable("UserImportLogs");
            e.HasKey(x => x.Id);
            e.Property(x => x.JobId).HasMaxLength(55);
            e.Property(x => x.Username).HasMaxLength(128);
            e.Property(x => x.Level).HasMaxLength(8);
            e.HasIndex(x => new { x.JobId, x.Id });
            e.HasOne<UserImportJobRow>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
