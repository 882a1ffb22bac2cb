// Portal-only extension (not an AWS operation): the audit log of operators' changes, newest first.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record ListAuditEntriesRequest : ICognitoRequest<ListAuditEntriesResponse>
{
    /// <summary>Only entries about this pool.</summary>
    [StringLength(55, MinimumLength = 1)]
    public string? UserPoolId { get; init; }
    /// <summary>Only entries by this operator (exact).</summary>
    [StringLength(128, MinimumLength = 1)]
    public string? Actor { get; init; }
    /// <summary>Only this operation (e.g. AdminDeleteUser).</summary>
    [StringLength(64, MinimumLength = 1)]
    public string? Action { get; init; }
    [Range(1, 100)]
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListAuditEntriesResponse
{
    public List<AuditEntryType>? Entries { get; init; }
    public string? NextToken { get; init; }
}

public sealed record AuditEntryType
{
    public long? Id { get; init; }
    public DateTimeOffset? At { get; init; }
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? UserPoolId { get; init; }
    public string? Target { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
}
