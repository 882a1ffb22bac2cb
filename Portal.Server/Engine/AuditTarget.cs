namespace Portal.Server.Engine;

/// <summary>What an operation acted on, when its request only names it (a role by name): a handler sets the full name
/// (an ARN) and the audit entry records it as its target. One per operation (scoped).</summary>
public sealed class AuditTarget
{
    public string? Name { get; set; }
}
