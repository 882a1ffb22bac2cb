// Portal-only extensions (not AWS operations) for the pool page's Threat protection tab and the user's sign-in history:
// the dashboard of a pool's risk decisions, and the reasons threat protection gave for each event (Cognito gives none).
// X-Amz-Target: PortalAdmin.DescribeRiskDashboard, PortalAdmin.ListAuthEventReasons.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record DescribeRiskDashboardRequest : ICognitoRequest<DescribeRiskDashboardResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    /// <summary>How many UTC days, up to today, the figures cover (30 when omitted).</summary>
    [Range(1, 90)]
    public int? Days { get; init; }
}

public sealed record DescribeRiskDashboardResponse
{
    /// <summary>One entry per UTC day, oldest first, days without events included.</summary>
    public List<RiskDayType>? Days { get; init; }
    /// <summary>The addresses with the most risky or failed events over the days, most first (at most 10).</summary>
    public List<RiskAddressType>? TopAddresses { get; init; }
    /// <summary>Events blocked because the password was found in a breached-password list, over the days.</summary>
    public long? CompromisedCredentialsBlocks { get; init; }
    /// <summary>Events where the password was found in a breached-password list (blocked or not), over the days.</summary>
    public long? CompromisedCredentialsDetections { get; init; }
    /// <summary>The latest events with a risk (a decision other than NoRisk, a Medium or High level, or compromised
    /// credentials), newest first (at most 10).</summary>
    public List<RiskyEventType>? LatestRiskyEvents { get; init; }
}

public sealed record RiskDayType
{
    /// <summary>yyyy-MM-dd (UTC).</summary>
    public string? Date { get; init; }
    /// <summary>Events assessed Low, Medium, High; NotAssessed for events without a level.</summary>
    public long? Low { get; init; }
    public long? Medium { get; init; }
    public long? High { get; init; }
    public long? NotAssessed { get; init; }
    /// <summary>Events by decision: NoRisk, AccountTakeover (MFA asked or the user notified), Block.</summary>
    public long? NoRisk { get; init; }
    public long? AccountTakeover { get; init; }
    public long? Block { get; init; }
}

public sealed record RiskAddressType
{
    public string? IpAddress { get; init; }
    /// <summary>Risky or failed events from the address.</summary>
    public long? Events { get; init; }
    /// <summary>Distinct users those events were about.</summary>
    public long? Users { get; init; }
    public DateTimeOffset? LastSeen { get; init; }
}

public sealed record RiskyEventType
{
    public string? EventId { get; init; }
    public string? Username { get; init; }
    public string? EventType { get; init; }
    public string? EventResponse { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public EventRiskType? EventRisk { get; init; }
    public string? IpAddress { get; init; }
    /// <summary>The first of the event's reasons, in words.</summary>
    public string? Reason { get; init; }
}

[Service(PortalServices.Admin)]
public sealed record ListAuthEventReasonsRequest : ICognitoRequest<ListAuthEventReasonsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string? Username { get; init; }
    /// <summary>Events of this user (AdminListUserAuthEvents' EventId); unknown ids are left out of the answer.</summary>
    [Required]
    [Length(1, 60)]
    public List<string>? EventIds { get; init; }
}

public sealed record ListAuthEventReasonsResponse
{
    public List<AuthEventReasonsType>? Events { get; init; }
}

public sealed record AuthEventReasonsType
{
    public string? EventId { get; init; }
    /// <summary>Why the event got its risk, in the order threat protection found them (empty when it found nothing).</summary>
    public List<RiskReasonType>? Reasons { get; init; }
}

public sealed record RiskReasonType
{
    /// <summary>A machine-readable code (e.g. new-device, compromised-credentials), when the reason has one.</summary>
    public string? Code { get; init; }
    /// <summary>The reason in a sentence.</summary>
    public string? Sentence { get; init; }
}
