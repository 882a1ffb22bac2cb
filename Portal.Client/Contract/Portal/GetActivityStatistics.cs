// Portal-only extension (not an AWS operation): sign-ups and sign-ins per day (UTC) over the last days, for the
// dashboard; computed from the stored users and refresh-token families. X-Amz-Target: PortalAdmin.GetActivityStatistics.
using System.ComponentModel.DataAnnotations;
namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record GetActivityStatisticsRequest : ICognitoRequest<GetActivityStatisticsResponse>
{
    /// <summary>One pool; every pool when omitted.</summary>
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    /// <summary>How many days back, today included.</summary>
    [Range(1, 90)]
    public int? Days { get; init; }
}
public sealed record GetActivityStatisticsResponse
{
    /// <summary>One entry per day, oldest first, days without activity included.</summary>
    public List<ActivityDayType>? Days { get; init; }
    /// <summary>What the figures count, in a sentence (shown under the chart).</summary>
    public string? Counting { get; init; }
}
public sealed record ActivityDayType
{
    /// <summary>The UTC day, yyyy-MM-dd.</summary>
    public string? Date { get; init; }
    public int? SignUps { get; init; }
    public int? SignIns { get; init; }
}
