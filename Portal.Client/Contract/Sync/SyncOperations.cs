// Cognito Sync API records (cognito-sync, REST-JSON), named and shaped as AWS names them. Members the REST routes carry
// in the path or query string (IdentityPoolId, IdentityId, DatasetName, nextToken, …) are members here as in the model.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sync;

[Service(SyncService.Prefix)]
public sealed record ListDatasetsRequest : ICognitoRequest<ListDatasetsResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    public string? NextToken { get; init; }
    [Range(1, 64)]
    public int? MaxResults { get; init; }
}

public sealed record ListDatasetsResponse
{
    public List<Dataset>? Datasets { get; init; }
    public int? Count { get; init; }
    public string? NextToken { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record DescribeDatasetRequest : ICognitoRequest<DescribeDatasetResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required, StringLength(128, MinimumLength = 1), RegularExpression(SyncService.DatasetNamePattern)]
    public string? DatasetName { get; init; }
}

public sealed record DescribeDatasetResponse
{
    public Dataset? Dataset { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record DeleteDatasetRequest : ICognitoRequest<DeleteDatasetResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required, StringLength(128, MinimumLength = 1), RegularExpression(SyncService.DatasetNamePattern)]
    public string? DatasetName { get; init; }
}

public sealed record DeleteDatasetResponse
{
    public Dataset? Dataset { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record ListRecordsRequest : ICognitoRequest<ListRecordsResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required, StringLength(128, MinimumLength = 1), RegularExpression(SyncService.DatasetNamePattern)]
    public string? DatasetName { get; init; }
    [Range(0, long.MaxValue)]
    public long? LastSyncCount { get; init; }
    public string? NextToken { get; init; }
    [Range(1, 1024)]
    public int? MaxResults { get; init; }
    public string? SyncSessionToken { get; init; }
}

public sealed record ListRecordsResponse
{
    public List<Record>? Records { get; init; }
    public string? NextToken { get; init; }
    public int? Count { get; init; }
    public long? DatasetSyncCount { get; init; }
    public string? LastModifiedBy { get; init; }
    public List<string>? MergedDatasetNames { get; init; }
    public bool? DatasetExists { get; init; }
    public bool? DatasetDeletedAfterRequestedSyncCount { get; init; }
    public string? SyncSessionToken { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record UpdateRecordsRequest : ICognitoRequest<UpdateRecordsResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
    [Required, StringLength(128, MinimumLength = 1), RegularExpression(SyncService.DatasetNamePattern)]
    public string? DatasetName { get; init; }
    [StringLength(256, MinimumLength = 1)]
    public string? DeviceId { get; init; }
    public List<RecordPatch>? RecordPatches { get; init; }
    [Required]
    public string? SyncSessionToken { get; init; }
    /// <summary>The <c>x-amz-Client-Context</c> header (base64 JSON), kept for the SyncTrigger event.</summary>
    public string? ClientContext { get; init; }
}

public sealed record UpdateRecordsResponse
{
    public List<Record>? Records { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record DescribeIdentityUsageRequest : ICognitoRequest<DescribeIdentityUsageResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityId { get; init; }
}

public sealed record DescribeIdentityUsageResponse
{
    public IdentityUsage? IdentityUsage { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record DescribeIdentityPoolUsageRequest : ICognitoRequest<DescribeIdentityPoolUsageResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record DescribeIdentityPoolUsageResponse
{
    public IdentityPoolUsage? IdentityPoolUsage { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record ListIdentityPoolUsageRequest : ICognitoRequest<ListIdentityPoolUsageResponse>
{
    public string? NextToken { get; init; }
    [Range(1, 60)]
    public int? MaxResults { get; init; }
}

public sealed record ListIdentityPoolUsageResponse
{
    public List<IdentityPoolUsage>? IdentityPoolUsages { get; init; }
    public int? MaxResults { get; init; }
    public int? Count { get; init; }
    public string? NextToken { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record GetIdentityPoolConfigurationRequest : ICognitoRequest<GetIdentityPoolConfigurationResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record GetIdentityPoolConfigurationResponse
{
    public string? IdentityPoolId { get; init; }
    public PushSync? PushSync { get; init; }
    public CognitoStreams? CognitoStreams { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record SetIdentityPoolConfigurationRequest : ICognitoRequest<SetIdentityPoolConfigurationResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    public PushSync? PushSync { get; init; }
    public CognitoStreams? CognitoStreams { get; init; }
}

public sealed record SetIdentityPoolConfigurationResponse
{
    public string? IdentityPoolId { get; init; }
    public PushSync? PushSync { get; init; }
    public CognitoStreams? CognitoStreams { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record GetCognitoEventsRequest : ICognitoRequest<GetCognitoEventsResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
}

public sealed record GetCognitoEventsResponse
{
    public Dictionary<string, string>? Events { get; init; }
}

[Service(SyncService.Prefix)]
public sealed record SetCognitoEventsRequest : ICognitoRequest<SetCognitoEventsResponse>
{
    [Required, StringLength(55, MinimumLength = 1), RegularExpression(SyncService.IdPattern)]
    public string? IdentityPoolId { get; init; }
    [Required]
    public Dictionary<string, string>? Events { get; init; }
}

/// <summary>SetCognitoEvents answers an empty body.</summary>
public sealed record SetCognitoEventsResponse;
