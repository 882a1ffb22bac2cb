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

/// <summary>One worker's memory of its last look that found nothing to do. The worker names once what "nothing" is for it
/// (<c>empty</c>: its tables hold nothing it could act on, now or later; work that waits on time alone, a retry or a
/// lease, is not "nothing"). Before a round, <see cref="Skip"/> answers true while nothing was committed since that look
/// (its tables can only gain work through a commit), and when something was, it looks again (one scope, the worker's own
/// question) instead of running the round: a commit to other tables (most commits: sign-ins, users, sessions) costs a
/// look, not a round.</summary>
public sealed class QuietRounds(IServiceScopeFactory scopes, Func<PortalDb, CancellationToken, Task<bool>> empty)
{
    CommitWatch? commits;
    long? current;
    bool quiet;
    long? quietAt;

    /// <summary>Reads the commit version before the round (a commit during the round moves it past this value), then
    /// answers whether the round can be skipped. A worker <paramref name="woken"/> by a commit of this instance, whose
    /// commit the listener may not have read yet, looks at its tables before it skips; so does every worker when the
    /// version is unknown (PostgreSQL, no listener).</summary>
    public async Task<bool> Skip(bool woken, CancellationToken ct)
    {
        if (commits is null)
        {
            using var scope = scopes.CreateScope();
            commits = scope.ServiceProvider.GetRequiredService<CommitWatch>();
        }
        current = commits.Version();
        if (!quiet) return false;
        if (!woken && current is not null && current == quietAt) return true;
        // Read after the version: a commit before it is seen here, one after it moves the next version.
        if (await Empty(ct))
        {
            quietAt = current;
            return true;
        }
        quiet = false;
        return false;
    }

    /// <summary>After a round: looks at the worker's tables; nothing left makes the next rounds quiet.</summary>
    public async Task Ended(CancellationToken ct)
    {
        quiet = await Empty(ct);
        quietAt = quiet ? current : null;
    }

    async Task<bool> Empty(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await empty(scope.ServiceProvider.GetRequiredService<PortalDb>(), ct);
    }
}
