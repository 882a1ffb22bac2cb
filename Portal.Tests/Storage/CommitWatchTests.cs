using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Storage;

namespace Portal.Tests.Storage;

/// <summary>The polling workers skip their rounds while their tables are empty and nothing was committed: the commit
/// version must move for a commit made anywhere (this process's store, another instance's connection to the same file),
/// and a worker's quiet round must end at the next commit.</summary>
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

    async Task<ServiceProvider> Store()
    {
        var sp = new ServiceCollection()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = "Sqlite", ConnectionString = StorageSetup.SqliteConnectionString(folder) }))
            .AddPortalStorage().BuildServiceProvider();
        await StorageSetup.Migrate(sp);
        return sp;
    }

    [Fact]
    public async Task The_version_stays_while_nothing_is_committed_and_moves_with_a_commit_from_the_store_or_another_connection()
    {
        await using var sp = await Store();
        var watch = sp.GetRequiredService<CommitWatch>();
        var first = await watch.Version(default);
        Assert.NotNull(first);
        await using (var scope = sp.CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<PortalDb>().Settings.AsNoTracking().Where(s => s.Key == "watch").ToListAsync());
        Assert.Equal(first, await watch.Version(default));

        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.Settings.Add(new SettingRow { Key = "watch", Value = "1" });
            await db.SaveChangesAsync();
        }
        var second = await watch.Version(default);
        Assert.NotEqual(first, second);

        // Another instance on the same file: a connection of its own.
        await using (var other = new SqliteConnection(StorageSetup.SqliteConnectionString(folder)))
        {
            await other.OpenAsync();
            await using var command = other.CreateCommand();
            command.CommandText = """UPDATE "Settings" SET "Value" = '2' WHERE "Key" = 'watch'""";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        Assert.NotEqual(second, await watch.Version(default));
    }

    [Fact]
    public async Task A_quiet_worker_skips_until_the_next_commit_and_never_when_work_was_left()
    {
        await using var sp = await Store();
        var quiet = new QuietRounds(sp.GetRequiredService<IServiceScopeFactory>());
        Assert.False(await quiet.Skip(default));
        quiet.Ended(await quiet.Empty(async (db, ct) => !await db.Settings.AnyAsync(s => s.Key == "work", ct), default));
        Assert.True(await quiet.Skip(default));
        Assert.True(await quiet.Skip(default));

        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.Settings.Add(new SettingRow { Key = "work", Value = "1" });
            await db.SaveChangesAsync();
        }
        Assert.False(await quiet.Skip(default));
        // Work is left (a retry waiting on time alone): the next round runs although nothing was committed.
        quiet.Ended(await quiet.Empty(async (db, ct) => !await db.Settings.AnyAsync(s => s.Key == "work", ct), default));
        Assert.False(await quiet.Skip(default));
    }
}
