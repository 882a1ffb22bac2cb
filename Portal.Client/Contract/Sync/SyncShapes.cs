// Cognito Sync API records (cognito-sync, REST-JSON), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sync;

/// <summary>The service of the Cognito Sync records. Its wire protocol is REST-JSON (Portal.Server/Sync/SyncEndpoint),
/// not AWS JSON 1.1: this prefix only names the operations in the registry, metrics and the audit log.</summary>
public static class SyncService
{
    public const string Prefix = "AWSCognitoSyncService";
    public const string IdPattern = @"[\w-]+:[0-9a-f-]+";
    public const string DatasetNamePattern = @"[a-zA-Z0-9_.:-]+";
}

public sealed record Dataset
{
    public string? IdentityId { get; init; }
    public string? DatasetName { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public string? LastModifiedBy { get; init; }
    public long? DataStorage { get; init; }
    public long? NumRecords { get; init; }
}

public sealed record Record
{
    public string? Key { get; init; }
    public string? Value { get; init; }
    public long? SyncCount { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public string? LastModifiedBy { get; init; }
    public DateTimeOffset? DeviceLastModifiedDate { get; init; }
}

public sealed record RecordPatch
{
    [Required]
    [AllowedValues("replace", "remove")]
    public string? Op { get; init; }
    [Required]
    [StringLength(1024, MinimumLength = 1)]
    public string? Key { get; init; }
    [StringLength(1048575)]
    public string? Value { get; init; }
    [Required]
    public long? SyncCount { get; init; }
    public DateTimeOffset? DeviceLastModifiedDate { get; init; }
}

public sealed record IdentityUsage
{
    public string? IdentityId { get; init; }
    public string? IdentityPoolId { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public int? DatasetCount { get; init; }
    public long? DataStorage { get; init; }
}

public sealed record IdentityPoolUsage
{
    public string? IdentityPoolId { get; init; }
    public long? SyncSessionsCount { get; init; }
    public long? DataStorage { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

public sealed record PushSync
{
    public List<string>? ApplicationArns { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:aws:iam::\d+:role/.*")]
    public string? RoleArn { get; init; }
}

public sealed record CognitoStreams
{
    [StringLength(128, MinimumLength = 1)]
    public string? StreamName { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:aws:iam::\d+:role/.*")]
    public string? RoleArn { get; init; }
    [AllowedValues("ENABLED", "DISABLED", null)]
    public string? StreamingStatus { get; init; }
}
