using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Server.Storage;

namespace Portal.Tests.Storage;

/// <summary>The polling workers skip their rounds while their tables are empty and nothing was committed. The commit
/// version is the <c>PRAGMA data_version</c> the change listener reads anyway: it must move for a commit made anywhere
/// (this process's store, another instance's connection to the same file), be unknown when the listener is not running or
/// has stalled, and a worker's quiet round must end at the next commit or when a commit of its own instance wakes it.</summary>
public sealed class CommitWatchTests : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "portal-commits-" + Guid.NewGuid().ToString("n"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        return Task.CompletedTask;
    }

    /// <summary>The version after the listener has read what was committed before this call.</summary>
    static async Task<long?> Seen(CommitWatch watch)
    {
        // A read that started before the commit may end after it: the second read after the commit has seen it.
        await watch.NextRead().WaitAsync(TimeSpan.FromSeconds(20));
        await watch.NextRead().WaitAsync(TimeSpan.FromSeconds(20));
        return watch.Version();
    }

    [Fact]
    public async Task The_listeners_version_moves_with_a_commit_from_this_process_or_another_connection()
    {
        using var server = new Infrastructure.PortalServer();
        var watch = server.Services.GetRequiredService<CommitWatch>();
        var first = await Seen(watch);
        Assert.NotNull(first);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.Settings.Add(new SettingRow { Key = "watch", Value = "1" });
            await db.SaveChangesAsync();
        }
        var second = await Seen(watch);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);

        // Another instance on the same file: a connection of its own.
        string connectionString;
        await using (var scope = server.Services.CreateAsyncScope())
            connectionString = scope.ServiceProvider.GetRequiredService<PortalDb>().Database.GetConnectionString()!;
        await using (var other = new SqliteConnection(connectionString))
        {
            await other.OpenAsync();
            await using var command = other.CreateCommand();
            command.CommandText = """UPDATE "Settings" SET "Value" = '2' WHERE "Key" = 'watch'""";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        var third = await Seen(watch);
        Assert.NotNull(third);
        Assert.NotEqual(second, third);
    }

    [Fact]
    public async Task Without_a_running_listener_or_with_a_stalled_one_the_version_is_unknown_and_workers_poll()
    {
        var clock = new FakeTimeProvider();
        var sp = new ServiceCollection().AddSingleton<TimeProvider>(clock)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = "Sqlite", ConnectionString = StorageSetup.SqliteConnectionString(folder) }))
            .AddPortalStorage().BuildServiceProvider();
        await using var _ = sp;
        var watch = sp.GetRequiredService<CommitWatch>();
        var looks = 0;
        var work = false;
        var quiet = new QuietRounds(sp.GetRequiredService<IServiceScopeFactory>(), (_, _) => { looks++; return Task.FromResult(!work); });
        Assert.Null(watch.Version());
        Assert.False(await quiet.Skip(woken: false, default));
        await quiet.Ended(default);
        // Unknown version: every round is preceded by a look at the tables (nothing there: no round).
        Assert.True(await quiet.Skip(woken: false, default));
        Assert.True(await quiet.Skip(woken: false, default));
        Assert.Equal(3, looks);
        work = true;
        Assert.False(await quiet.Skip(woken: false, default));
        await quiet.Ended(default);
        Assert.False(await quiet.Skip(woken: false, default));
        Assert.Equal(5, looks);

        watch.Published(7);
        Assert.Equal(7, watch.Version());
        clock.Advance(CommitWatch.Fresh);
        Assert.Equal(7, watch.Version());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(watch.Version());
        watch.Published(7);
        watch.Stopped();
        Assert.Null(watch.Version());
    }

    [Fact]
    public async Task A_quiet_worker_skips_until_the_next_commit_or_a_wake_up_and_never_when_work_was_left()
    {
        using var server = new Infrastructure.PortalServer();
        var watch = server.Services.GetRequiredService<CommitWatch>();
        await Seen(watch);
        var looks = 0;
        var quiet = new QuietRounds(server.Services.GetRequiredService<IServiceScopeFactory>(), async (db, ct) =>
        {
            looks++;
            return !await db.Settings.AnyAsync(s => s.Key == "work", ct);
        });
        Assert.False(await quiet.Skip(woken: false, default));
        await quiet.Ended(default);
        Assert.Equal(1, looks);
        // Nothing committed since the look: skipped without looking again.
        Assert.True(await quiet.Skip(woken: false, default));
        Assert.Equal(1, looks);
        // A commit of this instance wakes its worker before the listener has read it: it looks (nothing there: no round).
        Assert.True(await quiet.Skip(woken: true, default));
        Assert.Equal(2, looks);

        // A commit to other tables: one look, no round; then quiet again without looking.
        await Commit(server, "elsewhere");
        await Seen(watch);
        Assert.True(await quiet.Skip(woken: false, default));
        Assert.Equal(3, looks);
        Assert.True(await quiet.Skip(woken: false, default));
        Assert.Equal(3, looks);

        // A commit that brings work: the look sees it and the round runs.
        await Commit(server, "work");
        await Seen(watch);
        Assert.False(await quiet.Skip(woken: false, default));
        // Work is left (a retry waiting on time alone): the next round runs although nothing was committed.
        await quiet.Ended(default);
        Assert.False(await quiet.Skip(woken: false, default));
        Assert.False(await quiet.Skip(woken: false, default));
    }

    static async Task Commit(Infrastructure.PortalServer server, string key)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.Settings.Add(new SettingRow { Key = key, Value = "1" });
        await db.SaveChangesAsync();
    }
}
