using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Portal.Server.Storage;

public sealed class StorageOptions
{
    /// <summary>"Sqlite" (default, embedded) or "PostgreSQL".</summary>
    public string Provider { get; set; } = "Sqlite";
    /// <summary>Folder for the SQLite file (relative paths are under the content root).</summary>
    public string DataFolder { get; set; } = "data";
    /// <summary>For PostgreSQL; for SQLite it overrides the file under DataFolder when set.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => Provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase)
                              || Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
}

public static class StorageSetup
{
    /// <summary>Registers the store; the provider is chosen from <see cref="StorageOptions"/> when first resolved,
    /// so configuration added late (tests, environment) is honoured.</summary>
    public static IServiceCollection AddPortalStorage(this IServiceCollection services)
    {
        // The interceptor opens an operation's transaction at its first write (Engine/UnitOfWork).
        // On SQLite the process's writers also queue for the file's one write lock instead of sleeping on SQLITE_BUSY.
        // Pooled: a request rents a context whose EF services are already resolved, and gives it back reset (EF's state,
        // and PortalDb's own: see PortalDb.ForgetOperation). A new context per request cost 13% of a Cognito Sync call's
        // server time in resolving EF's scoped services and building its options (bench/README.md, Cognito Sync).
        // A list in a query (ids.Contains(x.Id)) goes to SQLite as one JSON parameter read by json_each, as before EF 10,
        // not as one parameter per item: a 100-key statement's parse and Microsoft.Data.Sqlite's binding of 100 parameters
        // by name cost a third of a 100-record Cognito Sync update (bench/README.md, Sync).
        services.AddDbContextPool<SqlitePortalDb>((sp, o) => o.UseSqlite(Resolve(sp).ConnectionString,
            sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).AddInterceptors(LazyTransactions, SqliteWriters));
        services.AddDbContextPool<PostgresPortalDb>((sp, o) => o.UseNpgsql(Resolve(sp).ConnectionString).AddInterceptors(LazyTransactions));
        services.AddScoped<PortalDb>(sp => Resolve(sp).IsPostgres
            ? sp.GetRequiredService<PostgresPortalDb>()
            : sp.GetRequiredService<SqlitePortalDb>());
        // Cached settings changed on another instance are forgotten here within a second (LISTEN/NOTIFY or SQLite's counter).
        services.AddSingleton<ChangeNotifications>();
        services.AddSingleton<ChangeListener>();
        services.AddSingleton<CommitWatch>();
        services.AddSingleton<SqlitePreparedReads>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeListener>());
        return services;
    }

    static readonly Portal.Server.Engine.LazyTransaction LazyTransactions = new();
    static readonly SqliteWriteGate SqliteWriters = new();

    static StorageOptions Resolve(IServiceProvider sp)
    {
        var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(o.ConnectionString)) return o;
        if (o.IsPostgres)
            throw new InvalidOperationException("Portal:Storage:ConnectionString is required when Provider is PostgreSQL.");
        var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        o.ConnectionString = SqliteConnectionString(Path.Combine(root, o.DataFolder));
        return o;
    }

    public static string SqliteConnectionString(string folder)
    {
        Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "portal.db"),
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Start-up work that several instances could race on (creating the database, migrations, the generated API
    /// key, bootstrap) runs while this is held: a PostgreSQL advisory lock on a dedicated connection, or for SQLite an
    /// exclusive lock on a file beside the database. Disposing releases it.</summary>
    public static async Task<IAsyncDisposable> StartupLock(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        if (db.Database.IsNpgsql())
        {
            await CreatePostgresDatabase(db, ct);
            // Not pooled: a session-level advisory lock lives as long as its connection.
            var cs = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false, Enlist = false };
            var connection = new Npgsql.NpgsqlConnection(cs.ToString());
            await connection.OpenAsync(ct);
            await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({StartupLockKey})", connection) { CommandTimeout = 0 })
                await take.ExecuteNonQueryAsync(ct);
            return new PostgresLock(connection);
        }
        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource + ".startup-lock";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, a share-mode lock on Windows: across processes.
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                // Another instance is starting on this file: wait for it (real time, whatever clock the host was given).
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, ct);
            }
        }
    }

    /// <summary>An arbitrary, fixed key: "Portal start-up" as a 64-bit number.</summary>
    const long StartupLockKey = 0x506f7274616c5375;

    sealed class PostgresLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({StartupLockKey})", connection);
                await release.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock too, should the unlock have failed.
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The lock lives in the database, so the database is made first; an instance that loses the race to
    /// create it finds it made.</summary>
    static async Task CreatePostgresDatabase(PortalDb db, CancellationToken ct)
    {
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct)) return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.DuplicateDatabase or Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it first.
        }
    }

    /// <summary>Creates the database when missing and applies the provider's migrations.</summary>
    public static async Task Migrate(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the one writer; it is a property of the file, set once.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        // A database at the latest migration is left alone: MigrateAsync would first diff the model against the last
        // migration's snapshot, a third of the start-up's CPU spent on nothing to do (a new migration still runs it).
        if (!(await db.Database.GetPendingMigrationsAsync(ct)).Any()) return;
        await db.Database.MigrateAsync(ct);
    }
}

// Design-time factories for `dotnet ef migrations add` (one migration set per provider).
sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqlitePortalDb>
{
    public SqlitePortalDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDb>().UseSqlite("Data Source=design.db").Options);
}

sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresPortalDb>
{
    public PostgresPortalDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
