using Portal.Tests.Infrastructure;

namespace Portal.Tests.ThreatProtection;

/// <summary>The threat-protection server on PostgreSQL (a throwaway cluster, or PORTAL_TEST_POSTGRES).</summary>
public sealed class PostgresThreatServer : ThreatServer
{
    // Field initializers run before the base constructor starts Portal, so Settings can name the database.
    readonly Postgres postgres = Postgres.Started();
    readonly string database = "portal_" + Guid.NewGuid().ToString("n")[..12];

    protected override IDictionary<string, string?> Settings => postgres.ForPortal(base.Settings, database);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) postgres.DisposeAsync().GetAwaiter().GetResult();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresThreatCollection : ICollectionFixture<PostgresThreatServer>
{
    public const string Name = "threat-postgres";
}

/// <summary>Every adaptive-authentication case of <see cref="AdaptiveAuthenticationTests"/> with the events in PostgreSQL:
/// risk scoring's compiled queries (history, credential stuffing) must read there as on SQLite.</summary>
[Collection(PostgresThreatCollection.Name)]
public sealed class PostgresAdaptiveAuthenticationTests(PostgresThreatServer server) : AdaptiveAuthenticationTests(server);
