using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The clocked server on PostgreSQL (a throwaway cluster, or PORTAL_TEST_POSTGRES), so the lockout's races run
/// against the other provider's locking too.</summary>
public sealed class PostgresClockedServer : ClockedServer
{
    protected override bool OnPostgres => true;
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
