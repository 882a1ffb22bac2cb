using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Storage;

namespace Portal.Tests.Storage;

/// <summary>SQLite writers of one process queue for the file's write lock (first come, first served) instead of meeting
/// SQLITE_BUSY and sleeping; a writer that waits past the timeout hears what a busy database answers.</summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "portal-gate-" + Guid.NewGuid().ToString("n"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        return Task.CompletedTask;
    }

    /// <summary>A store whose connections give up after <paramref name="timeoutSeconds"/> (30 s as Portal runs).</summary>
    async Task<ServiceProvider> Store(int timeoutSeconds = 30)
    {
        var cs = new SqliteConnectionStringBuilder(StorageSetup.SqliteConnectionString(folder)) { DefaultTimeout = timeoutSeconds };
        var sp = new ServiceCollection()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = "Sqlite", ConnectionString = cs.ToString() }))
            .AddPortalStorage().BuildServiceProvider();
        await StorageSetup.Migrate(sp);
        return sp;
    }

    static async Task<long> Counter(PortalDb db) =>
        long.Parse((await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == "gate-test"))?.Value ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Parallel_read_then_write_transactions_each_see_the_last_ones_work()
    {
        await using var sp = await Store();
        // Each transaction reads the counter and writes it plus one: only writers that run one after another count to 24.
        async Task Increment()
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var value = await Counter(db) + 1;
            var updated = await db.Settings.Where(s => s.Key == "gate-test")
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (updated == 0) db.Settings.Add(new SettingRow { Key = "gate-test", Value = "1" });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(Increment)));
        await using var check = sp.CreateAsyncScope();
        Assert.Equal(24, await Counter(check.ServiceProvider.GetRequiredService<PortalDb>()));
    }

    [Fact]
    public async Task A_writer_waiting_past_the_timeout_hears_that_the_database_is_locked()
    {
        await using var sp = await Store(timeoutSeconds: 1);
        await using var holder = sp.CreateAsyncScope();
        var holding = holder.ServiceProvider.GetRequiredService<PortalDb>();
        await using var held = await holding.Database.BeginTransactionAsync();

        await using var waiter = sp.CreateAsyncScope();
        var waiting = waiter.ServiceProvider.GetRequiredService<PortalDb>();
        var busy = await Assert.ThrowsAsync<SqliteException>(() => waiting.Database.BeginTransactionAsync());
        Assert.Equal(5, busy.SqliteErrorCode);
        Assert.Contains("database is locked", busy.Message, StringComparison.Ordinal);
        // An auto-commit write waits its turn the same way, and says the same (through EF's save).
        waiting.Settings.Add(new SettingRow { Key = "gate-test", Value = "1" });
        var save = await Assert.ThrowsAnyAsync<Exception>(() => waiting.SaveChangesAsync());
        Assert.Equal(5, Assert.IsType<SqliteException>(save as SqliteException ?? save.InnerException).SqliteErrorCode);

        // Once the holder is done, the next writer goes at once.
        await held.CommitAsync();
        waiting.ChangeTracker.Clear();
        await using var next = await waiting.Database.BeginTransactionAsync();
        await next.CommitAsync();
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_or_rollback_gives_up_its_turn()
    {
        await using var sp = await Store(timeoutSeconds: 1);
        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Settings.Add(new SettingRow { Key = "gate-test", Value = "7" });
            await db.SaveChangesAsync();
            // Left without a commit: `await using` disposes it, SQLite rolls it back.
        }
        await using var after = sp.CreateAsyncScope();
        var next = after.ServiceProvider.GetRequiredService<PortalDb>();
        next.Settings.Add(new SettingRow { Key = "gate-test", Value = "1" });
        await next.SaveChangesAsync();
        Assert.Equal(1, await Counter(next));
    }

    [Fact]
    public async Task Writers_get_their_turn_in_the_order_they_asked()
    {
        var queue = new WriterQueue();
        var first = await queue.EnterAsync(TimeSpan.FromSeconds(30), default);
        var order = new List<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            var turn = queue.EnterAsync(TimeSpan.FromSeconds(30), default);
            Assert.False(turn.IsCompleted);
            waiters.Add(Task.Run(async () =>
            {
                using var mine = await turn;
                lock (order) order.Add(n);
            }));
        }
        first.Dispose();
        await Task.WhenAll(waiters);
        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task A_writer_that_stops_waiting_leaves_the_queue_and_the_turn_passes_on()
    {
        var queue = new WriterQueue();
        var first = await queue.EnterAsync(TimeSpan.FromSeconds(30), default);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.EnterAsync(TimeSpan.FromSeconds(30), cancel.Token).AsTask();
        var timedOut = queue.EnterAsync(TimeSpan.FromMilliseconds(1), default).AsTask();
        var last = queue.EnterAsync(TimeSpan.FromSeconds(30), default).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(5, (await Assert.ThrowsAsync<SqliteException>(() => timedOut)).SqliteErrorCode);
        Assert.False(last.IsCompleted);
        first.Dispose();
        first.Dispose(); // a turn ends once
        var mine = await last;
        // The last writer holds it now: a new one waits behind it, and goes when it is done.
        var after = queue.EnterAsync(TimeSpan.FromSeconds(30), default);
        Assert.False(after.IsCompleted);
        mine.Dispose();
        (await after).Dispose();
    }
}
