using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Portal.Server.Storage;

/// <summary>
/// Whether anything was committed to the database since a worker last looked, so a polling worker that found its tables
/// empty skips its rounds (no scope, no context, no query) until a commit happens. SQLite: <c>PRAGMA data_version</c> on a
/// connection of its own that never writes, which moves whenever any other connection, of this process or another
/// instance's, commits. PostgreSQL: unknown (<c>null</c>), so the workers poll as before.
/// </summary>
public sealed class CommitWatch(IOptions<StorageOptions> storage, IServiceScopeFactory scopes) : IAsyncDisposable
{
    readonly SemaphoreSlim gate = new(1, 1);
    SqliteConnection? connection;
    long opened;

    /// <summary>A value that differs from an earlier one when something was committed in between; null when unknown.</summary>
    public async Task<long?> Version(CancellationToken ct)
    {
        if (storage.Value.IsPostgres) return null;
        await gate.WaitAsync(ct);
        try
        {
            if (connection is null)
            {
                string connectionString;
                await using (var scope = scopes.CreateAsyncScope())
                    connectionString = scope.ServiceProvider.GetRequiredService<PortalDb>().Database.GetConnectionString()!;
                connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(ct);
                opened++;
            }
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA data_version";
            var version = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            // A new connection counts from its own start: its values must never equal an old connection's.
            return (opened << 40) | version;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (connection is not null) await connection.DisposeAsync();
            connection = null;
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        gate.Dispose();
    }
}

/// <summary>One worker's memory of its last round that left nothing to do: <see cref="Skip"/> answers true while nothing
/// was committed since (its tables can only gain work through a commit; work that waits on time alone, a retry or a lease,
/// is not "nothing", so such a round is never skipped).</summary>
public sealed class QuietRounds(IServiceScopeFactory scopes)
{
    CommitWatch? commits;
    long? current;
    long? quietAt;

    /// <summary>Reads the commit version before the round (a commit during the round moves it past this value).</summary>
    public async Task<bool> Skip(CancellationToken ct)
    {
        if (commits is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            commits = scope.ServiceProvider.GetRequiredService<CommitWatch>();
        }
        current = await commits.Version(ct);
        return current is not null && current == quietAt;
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
