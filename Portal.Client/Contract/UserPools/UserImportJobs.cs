// Cognito API records, named and shaped as AWS names them: CSV user import jobs.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

public sealed record GetCSVHeaderRequest : ICognitoRequest<GetCSVHeaderResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record GetCSVHeaderResponse
{
    public string? UserPoolId { get; init; }
    public List<string>? CSVHeader { get; init; }
}

public sealed record CreateUserImportJobRequest : ICognitoRequest<CreateUserImportJobResponse>
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? JobName { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? CloudWatchLogsRoleArn { get; init; }
}

public sealed record CreateUserImportJobResponse
{
    public UserImportJobType? UserImportJob { get; init; }
}

public sealed record StartUserImportJobRequest : ICognitoRequest<StartUserImportJobResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"import-[0-9a-zA-Z-]+")]
    public string? JobId { get; init; }
}

public sealed record StartUserImportJobResponse
{
    public UserImportJobType? UserImportJob { get; init; }
}

public sealed record StopUserImportJobRequest : ICognitoRequest<StopUserImportJobResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"import-[0-9a-zA-Z-]+")]
    public string? JobId { get; init; }
}

public sealed record StopUserImportJobResponse
{
    public UserImportJobType? UserImportJob { get; init; }
}

public sealed record DescribeUserImportJobRequest : ICognitoRequest<DescribeUserImportJobResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"import-[0-9a-zA-Z-]+")]
    public string? JobId { get; init; }
}

public sealed record DescribeUserImportJobResponse
{
    public UserImportJobType? UserImportJob { get; init; }
}

public sealed record ListUserImportJobsRequest : ICognitoRequest<ListUserImportJobsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [Range(1, 60)]
    public int? MaxResults { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
}

public sealed record ListUserImportJobsResponse
{
    public List<UserImportJobType>? UserImportJobs { get; init; }
    public string? PaginationToken { get; init; }
}

public sealed record UserImportJobType
{
    public string? JobName { get; init; }
    public string? JobId { get; init; }
    public string? UserPoolId { get; init; }
    public string? PreSignedUrl { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? CompletionDate { get; init; }
    /// <summary>Created, Pending, InProgress, Stopping, Expired, Stopped, Failed, Succeeded.</summary>
    public string? Status { get; init; }
    public string? CloudWatchLogsRoleArn { get; init; }
    public long? ImportedUsers { get; init; }
    public long? SkippedUsers { get; init; }
    public long? FailedUsers { get; init; }
    public string? CompletionMessage { get; init; }
}

/// <summary>The statuses of a user import job (UserImportJobStatusType).</summary>
public static class UserImportJobStatus
{
    public const string Created = "Created";
    public const string Pending = "Pending";
    public const string InProgress = "InProgress";
    public const string Stopping = "Stopping";
    public const string Expired = "Expired";
    public const string Stopped = "Stopped";
    public const string Failed = "Failed";
    public const string Succeeded = "Succeeded";
}
