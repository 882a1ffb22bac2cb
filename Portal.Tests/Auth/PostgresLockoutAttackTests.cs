using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The clocked server on PostgreSQL (a throwaway cluster, or PORTAL_TEST_POSTGRES), so the lockout's races run
/// against the other provider's locking too.</summary>
public sealed class PostgresClockedServer : ClockedServer
{
    // Field initializers run before the base constructor starts Portal, so Settings can name the database.
    readonly Postgres postgres = Started();
    readonly string database = "portal_" + Guid.NewGuid().ToString("n")[..12];

    static Postgres Started()
    {
        var postgres = new Postgres();
        postgres.InitializeAsync().GetAwaiter().GetResult();
        return postgres;
    }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database };
            settings["Portal:Storage:Provider"] = "PostgreSQL";
            settings["Portal:Storage:ConnectionString"] = connection.ToString();
            return settings;
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) postgres.DisposeAsync().GetAwaiter().GetResult();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClockedCollection : ICollectionFixture<PostgresClockedServer>
{
    public const string Name = "clocked-postgres";
}

/// <summary>Every lockout attack of <see cref="LockoutAttackTests"/>, with the counters in PostgreSQL: conditional
/// updates inside and outside an operation's transaction must hold there as on SQLite.</summary>
[Collection(PostgresClockedCollection.Name)]
public sealed class PostgresLockoutAttackTests(PostgresClockedServer server) : LockoutAttackTests(server);
