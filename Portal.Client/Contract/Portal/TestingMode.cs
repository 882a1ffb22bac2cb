namespace Portal.Client.Contract;

/// <summary>One message of testing mode's mailbox: in full, with the code (or temporary password) and link extracted.</summary>
public sealed record TestingMessage(string Id, string? UserPoolId, string Channel, string? Kind, string Destination, string? Subject, string Body,
    string? Code, string? Link, DateTimeOffset CreatedAt);

/// <summary>Testing mode as the portal's Testing page uses it (issue 21); registered by the server, absent in component
/// tests that do not provide it.</summary>
public interface ITestingMode
{
    /// <summary>Whether <c>Portal:Testing:Enabled</c> is on: the page, its navigation entry and the header chip show only then.</summary>
    bool Enabled { get; }

    /// <summary>Portal's public URL, for the curl snippets.</summary>
    string BaseUrl { get; }

    /// <summary>The newest messages of the pool (all pools when null) after <paramref name="since"/>; with a wait, once there is one.</summary>
    Task<IReadOnlyList<TestingMessage>> Mailbox(string? userPoolId, DateTimeOffset? since, TimeSpan wait, CancellationToken ct);

    Task<int> ClearMailbox(string? userPoolId, CancellationToken ct);

    /// <summary>Deletes the pool's users, sessions, tokens, codes and messages, keeping its configuration; answers how many users went.</summary>
    Task<int> Reset(string userPoolId, string actor, CancellationToken ct);

    /// <summary>A copy of the pool's configuration (no users); answers the new pool's id.</summary>
    Task<string> Clone(string userPoolId, string actor, CancellationToken ct);

    /// <summary>How far the pool's clock runs ahead of real time (zero: real time).</summary>
    Task<TimeSpan> ClockOffset(string userPoolId, CancellationToken ct);

    /// <summary>Runs the pool's clock <paramref name="offset"/> ahead of real time (zero clears it); answers the offset now.</summary>
    Task<TimeSpan> SetClock(string userPoolId, TimeSpan offset, string actor, CancellationToken ct);
}
