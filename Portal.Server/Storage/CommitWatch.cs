namespace Portal.Server.Storage;

/// <summary>
/// Whether anything was committed to the database since a worker last looked, so a polling worker that found its tables
/// empty skips its rounds (no scope, no context, no query) until a commit happens. SQLite: the <c>PRAGMA data_version</c>
/// that <see cref="ChangeListener"/> already reads every <see cref="ChangeNotifications.SqlitePollInterval"/> on its own
/// connection, which never writes, so the value moves whenever any other connection, of this process or another instance's,
/// commits. One poller serves both. The value is unknown (<c>null</c>, and the workers poll as before) on PostgreSQL, while
/// the listener is not running, and when its last read is older than <see cref="Fresh"/> (a stalled listener must not
/// keep a worker asleep). A read older than the round it precedes is still safe: a commit after it moves the next value.
/// </summary>
public sealed class CommitWatch(TimeProvider clock)
{
    /// <summary>How old the listener's last read may be and still be used.</summary>
    public static readonly TimeSpan Fresh = ChangeNotifications.SqlitePollInterval * 4;

    sealed record Read(long Version, long At);

    Read? last;
    TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A value that differs from an earlier one when something was committed in between; null when unknown.</summary>
    public long? Version()
    {
        var read = Volatile.Read(ref last);
        if (read is null || clock.GetElapsedTime(read.At) > Fresh) return null;
        return read.Version;
    }

    /// <summary>Completes at the listener's next read (what waits for a commit to be seen waits on this, not on time).</summary>
    public Task NextRead() => Volatile.Read(ref next).Task;

    /// <summary>The listener's read: <paramref name="version"/> must differ from every value of an earlier connection.</summary>
    internal void Published(long version)
    {
        Volatile.Write(ref last, new Read(version, clock.GetTimestamp()));
        Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The listener stopped: the value is unknown from now on.</summary>
    internal void Stopped() => Volatile.Write(ref last, null);
}

/// <summary>One worker's memory of its last round that left nothing to do: <see cref="Skip"/> answers true while nothing
/// was committed since (its tables can only gain work through a commit; work that waits on time alone, a retry or a lease,
/// is not "nothing", so such a round is never skipped).</summary>
public sealed class QuietRounds(IServiceScopeFactory scopes)
{
    CommitWatch? commits;
    long? current;
    long? quietAt;

    /// <summary>Reads the commit version before the round (a commit during the round moves it past this value). A worker
    /// <paramref name="woken"/> by a commit of this instance never skips: the listener may not have read that commit yet.</summary>
    public bool Skip(bool woken = false)
    {
        if (commits is null)
        {
            using var scope = scopes.CreateScope();
            commits = scope.ServiceProvider.GetRequiredService<CommitWatch>();
        }
        current = commits.Version();
        return !woken && current is not null && current == quietAt;
    }

    /// <summary>After the round: <paramref name="nothingLeft"/> when the worker's tables hold nothing it could act on, now
    /// or later.</summary>
    public void Ended(bool nothingLeft) => quietAt = nothingLeft ? current : null;

    /// <summary>Runs <paramref name="empty"/> on a scope of its own: the worker's "nothing left" question.</summary>
    public async Task<bool> Empty(Func<PortalDb, CancellationToken, Task<bool>> empty, CancellationToken ct)
    {
        if (current is null) return false;
        await using var scope = scopes.CreateAsyncScope();
        return await empty(scope.ServiceProvider.GetRequiredService<PortalDb>(), ct);
    }
}
