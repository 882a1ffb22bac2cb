// Portal-only extension (not an AWS operation): the messages Portal sent (or recorded) for a pool, newest first, with
// codes and temporary passwords masked. X-Amz-Target: PortalAdmin.ListOutboxMessages.
using System.ComponentModel.DataAnnotations;
namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record ListOutboxMessagesRequest : ICognitoRequest<ListOutboxMessagesResponse>
{
    /// <summary>Only this pool's messages; all pools' when omitted.</summary>
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    /// <summary>EMAIL or SMS.</summary>
    [AllowedValues(null, "EMAIL", "SMS")]
    public string? Channel { get; init; }
    [Range(1, 100)]
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}
public sealed record ListOutboxMessagesResponse
{
    public List<OutboxMessageType>? Messages { get; init; }
    public string? NextToken { get; init; }
}
public sealed record OutboxMessageType
{
    public string? Id { get; init; }
    public string? UserPoolId { get; init; }
    public string? Channel { get; init; }
    public string? Destination { get; init; }
    public string? Subject { get; init; }
    /// <summary>The body with the code or temporary password replaced by •••••• .</summary>
    public string? Body { get; init; }
    /// <summary>Recorded (not sent: no SMTP or SMS sender configured), Sent, or "Failed: reason".</summary>
    public string? Status { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}
