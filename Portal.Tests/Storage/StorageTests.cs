using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Storage;

/// <summary>The one store on both providers: migrations apply on an empty database and entities round-trip.</summary>
public sealed class StorageTests(Postgres postgres) : IClassFixture<Postgres>
{
    [Fact]
    public async Task Sqlite_round_trips_a_pool_and_a_user()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-storage-" + Guid.NewGuid().ToString("n"));
        try
        {
            await RoundTrip(new StorageOptions { Provider = "Sqlite", DataFolder = folder });
            Assert.True(File.Exists(Path.Combine(folder, "portal.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task Sqlite_file_is_in_wal_mode()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-storage-" + Guid.NewGuid().ToString("n"));
        try
        {
            await using var sp = Services(new StorageOptions { Provider = "Sqlite", DataFolder = folder });
            await StorageSetup.Migrate(sp);
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await db.Database.OpenConnectionAsync();
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task Postgres_round_trips_a_pool_and_a_user()
    {
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "portal_" + Guid.NewGuid().ToString("n")[..12] };
        await RoundTrip(new StorageOptions { Provider = "PostgreSQL", ConnectionString = cs.ToString() });
    }

    [Fact]
    public async Task Postgres_rate_limit_counters_count_every_parallel_increment_once()
    {
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "portal_" + Guid.NewGuid().ToString("n")[..12] };
        await Counters(new StorageOptions { Provider = "PostgreSQL", ConnectionString = cs.ToString() });
    }

    [Fact]
    public async Task Sqlite_rate_limit_counters_count_every_parallel_increment_once()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-storage-" + Guid.NewGuid().ToString("n"));
        try
        {
            await Counters(new StorageOptions { Provider = "Sqlite", DataFolder = folder });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }

    /// <summary>The shared counters the rate limits use: parallel increments (as from several instances) each get their own
    /// count, a newer window starts again at 1, and a late increment of an older window does not reset it.</summary>
    static async Task Counters(StorageOptions options)
    {
        await using var sp = Services(options);
        await StorageSetup.Migrate(sp);
        async Task<int> Increment(long window)
        {
            await using var scope = sp.CreateAsyncScope();
            return await global::Portal.Server.Throttling.SharedCounters.Increment(scope.ServiceProvider.GetRequiredService<PortalDb>(), "pool:test:UserAuthentication", window, default);
        }
        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Increment(100)));
        Assert.Equal(Enumerable.Range(1, 20), counts.Order());
        Assert.Equal(1, await Increment(101));
        Assert.Equal(2, await Increment(100));
        Assert.Equal(3, await Increment(101));
    }

    static ServiceProvider Services(StorageOptions options) =>
        new ServiceCollection().AddSingleton(Microsoft.Extensions.Options.Options.Create(options)).AddPortalStorage().BuildServiceProvider();

    static async Task RoundTrip(StorageOptions options)
    {
        await using var sp = Services(options);
        await StorageSetup.Migrate(sp);
        var created = new DateTimeOffset(2026, 11, 27, 10, 30, 0, TimeSpan.Zero);
        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.UserPools.Add(new UserPoolRow { Id = "us-east-1_Storage01", Name = "storage", CreatedAt = created, LastModifiedAt = created });
            db.Users.Add(new UserRow
            {
                Sub = "5f0c2b1e-0000-4000-8000-000000000001", UserPoolId = "us-east-1_Storage01", Username = "Ada", UsernameKey = "ada",
                Email = "ada@example.com", Attributes = """{"email":"ada@example.com"}""", CreatedAt = created, LastModifiedAt = created,
            });
            await db.SaveChangesAsync();
        }
        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var user = await db.Users.SingleAsync(u => u.UserPoolId == "us-east-1_Storage01" && u.Email!.CompareTo("ad") >= 0 && u.CreatedAt <= created);
            Assert.Equal("Ada", user.Username);
            Assert.Equal(created, user.CreatedAt);
            var pool = await db.UserPools.SingleAsync(p => p.Id == "us-east-1_Storage01");
            Assert.Equal("storage", pool.Name);
            db.UserPools.Remove(pool);
            await db.SaveChangesAsync();
            Assert.False(await db.Users.AnyAsync(u => u.Sub == user.Sub)); // users go with their pool
        }
    }
}
