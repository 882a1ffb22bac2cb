// Portal-only extensions (not AWS operations) for CSV user import jobs: a job's progress and log (what Cognito writes to
// CloudWatch Logs), and the portal's upload of a job's file. X-Amz-Target: PortalAdmin.<name>.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record ListUserImportLogRequest : ICognitoRequest<ListUserImportLogResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"import-[0-9a-zA-Z-]+")]
    public string? JobId { get; init; }
    [Range(1, 1000)]
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListUserImportLogResponse
{
    /// <summary>The file's data rows, once the job runs (null before).</summary>
    public int? TotalRows { get; init; }
    /// <summary>Whether the job's file has been uploaded.</summary>
    public bool? Uploaded { get; init; }
    public List<UserImportLogEventType>? Events { get; init; }
    public string? NextToken { get; init; }
}

public sealed record UserImportLogEventType
{
    /// <summary>The file's line (the header is line 1); null for the job's own events.</summary>
    public int? LineNumber { get; init; }
    public string? Username { get; init; }
    /// <summary>INFO, SKIPPED or ERROR.</summary>
    public string? Level { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>The portal's upload of a job's file: what a PUT to the job's PreSignedUrl does, once, while the job is Created.</summary>
[Service(PortalServices.Admin)]
public sealed record UploadUserImportFileRequest : ICognitoRequest<UploadUserImportFileResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"import-[0-9a-zA-Z-]+")]
    public string? JobId { get; init; }
    [Required]
    public string? CsvFile { get; init; }
}

public sealed record UploadUserImportFileResponse;
