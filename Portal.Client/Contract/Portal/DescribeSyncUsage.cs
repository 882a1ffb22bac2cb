// Portal-only extension (not an AWS operation): an identity pool's Cognito Sync usage per UTC day for the Sync page:
// live datasets and bytes stored at the end of each day, and the day's sync operations (ListRecords and UpdateRecords
// sessions). X-Amz-Target: PortalAdmin.DescribeSyncUsage.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record DescribeSyncUsageRequest : ICognitoRequest<DescribeSyncUsageResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+:[0-9a-f-]+")]
    public string? IdentityPoolId { get; init; }
    /// <summary>How many UTC days, up to today, the figures cover (30 when omitted).</summary>
    [Range(1, 90)]
    public int? Days { get; init; }
}

public sealed record DescribeSyncUsageResponse
{
    /// <summary>Oldest first; the last is today.</summary>
    public List<SyncUsageDay>? Days { get; init; }
}

public sealed record SyncUsageDay
{
    /// <summary>yyyy-MM-dd (UTC).</summary>
    public string? Date { get; init; }
    /// <summary>Live datasets of the pool's identities at the end of the day (now, for today).</summary>
    public long? Datasets { get; init; }
    /// <summary>Bytes of the live records' keys and values at the end of the day (now, for today).</summary>
    public long? DataStorage { get; init; }
    /// <summary>ListRecords and UpdateRecords calls that day, every instance's counts; another instance's may show up to
    /// 10 seconds late.</summary>
    public long? SyncOperations { get; init; }
}
