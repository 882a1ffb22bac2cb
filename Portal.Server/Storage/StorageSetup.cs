using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

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
        services.AddDbContext<SqlitePortalDb>((sp, o) => o.UseSqlite(Resolve(sp).ConnectionString).AddInterceptors(LazyTransactions));
        services.AddDbContext<PostgresPortalDb>((sp, o) => o.UseNpgsql(Resolve(sp).ConnectionString).AddInterceptors(LazyTransactions));
        services.AddScoped<PortalDb>(sp => Resolve(sp).IsPostgres
            ? sp.GetRequiredService<PostgresPortalDb>()
            : sp.GetRequiredService<SqlitePortalDb>());
        return services;
    }

    static readonly Portal.Server.Engine.LazyTransaction LazyTransactions = new();

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
