namespace Portal.Server.Federation;

/// <summary>What an administrator's test sign-in of an identity provider found: the provider's answer, the attribute
/// mapping applied to it, and the pool user it signs in as; or why the answer was refused.</summary>
public sealed record FederationTestResult
{
    public required string ProviderName { get; init; }
    public string? ProviderType { get; init; }
    public required bool Succeeded { get; init; }
    /// <summary>What went wrong, in plain words (refused answers, or a first sign-in that would be refused).</summary>
    public string? Message { get; init; }
    /// <summary>The technical reason, as logged (never tokens or assertions).</summary>
    public string? Reason { get; init; }
    public string? ProviderUserId { get; init; }
    public string? Username { get; init; }
    /// <summary>The existing pool user's status, or null when the first sign-in would create the user.</summary>
    public string? UserStatus { get; init; }
    /// <summary>The identity is linked to a native user (AdminLinkProviderForUser).</summary>
    public bool Linked { get; init; }
    public IReadOnlyList<(string Name, string Value)> ProviderAttributes { get; init; } = [];
    public IReadOnlyList<Mapping> Mappings { get; init; } = [];

    /// <summary>One entry of the attribute mapping: the pool attribute, the provider attribute it reads, the value it
    /// gets, and why it gets none (<see cref="Note"/> is a key of <see cref="HostedUi.Texts"/>).</summary>
    public sealed record Mapping(string PoolAttribute, string ProviderAttribute, string? Value, string? Note);
}
