using Portal.Tests.Infrastructure;

namespace Portal.Tests.ThreatProtection;

/// <summary>The threat-protection server on PostgreSQL (a throwaway cluster, or PORTAL_TEST_POSTGRES).</summary>
public sealed class PostgresThreatServer : ThreatServer
{
    protected override bool OnPostgres => true;
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
