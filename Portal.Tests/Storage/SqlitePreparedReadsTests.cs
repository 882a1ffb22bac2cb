using Microsoft.Data.Sqlite;
using Portal.Server.Storage;

namespace Portal.Tests.Storage;

/// <summary>A statement kept prepared on connections of its own (risk scoring's read) must answer what is committed now,
/// not what was there when it was prepared; serve concurrent callers each on its own connection; keep no more idle
/// connections than its cap; give up a connection whose statement failed; and refuse an in-memory database (another
/// connection would see another database).</summary>
public sealed class SqlitePreparedReadsTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "portal-prepared-" + Guid.NewGuid().ToString("n"));
    readonly string connectionString;

    public SqlitePreparedReadsTests()
    {
        connectionString = StorageSetup.SqliteConnectionString(folder);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (k TEXT NOT NULL, v INTEGER NOT NULL);";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
    }

    const string Sum = "SELECT COALESCE(SUM(v), 0), COUNT(*) FROM t WHERE k = @k";
    static readonly string[] Names = ["@k"];

    void Insert(string key, long value)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO t (k, v) VALUES (@k, @v)";
        command.Parameters.AddWithValue("@k", key);
        command.Parameters.AddWithValue("@v", value);
        command.ExecuteNonQuery();
    }

    (long Sum, long Count) Read(SqlitePreparedReads reads, string key) =>
        reads.ReadRow(connectionString, Sum, Names, [key], r => (r.GetInt64(0), r.GetInt64(1)));

    [Fact]
    public void A_kept_statement_reads_what_was_committed_since_it_was_prepared_with_each_calls_values()
    {
        using var reads = new SqlitePreparedReads();
        Assert.Equal((0L, 0L), Read(reads, "a"));
        Insert("a", 5);
        Insert("b", 7);
        Assert.Equal((5L, 1L), Read(reads, "a"));
        Insert("a", 3);
        Assert.Equal((8L, 2L), Read(reads, "a"));
        Assert.Equal((7L, 1L), Read(reads, "b"));
        // A writer holding its transaction open does not make the read wait, and the read does not see its rows.
        using var writer = new SqliteConnection(connectionString);
        writer.Open();
        using var transaction = writer.BeginTransaction();
        using (var command = writer.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO t (k, v) VALUES ('a', 100)";
            command.ExecuteNonQuery();
        }
        Assert.Equal((8L, 2L), Read(reads, "a"));
        transaction.Commit();
        Assert.Equal((108L, 3L), Read(reads, "a"));
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_connection_and_no_more_than_the_cap_stay_open()
    {
        for (var i = 0; i < 10; i++) Insert("k" + (i % 3), i);
        using var reads = new SqlitePreparedReads();
        using var gate = new Barrier(8);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() =>
            reads.ReadRow(connectionString, Sum, Names, ["k" + (n % 3)], r =>
            {
                // Every caller is inside its read at once: eight statements, eight connections.
                gate.SignalAndWait(TimeSpan.FromSeconds(20));
                return r.GetInt64(0);
            }))));
        Assert.Equal([18L, 12L, 15L, 18L, 12L, 15L, 18L, 12L], results);
        Assert.True(reads.Idle(connectionString, Sum) <= SqlitePreparedReads.IdlePerStatement);
        Assert.True(reads.Idle(connectionString, Sum) >= 1);
    }

    [Fact]
    public void A_statement_that_failed_gives_its_connection_up_and_the_next_call_works()
    {
        using var reads = new SqlitePreparedReads();
        Insert("x", 1);
        Assert.Equal((1L, 1L), Read(reads, "x"));
        var idle = reads.Idle(connectionString, Sum);
        Assert.Throws<InvalidCastException>(() => reads.ReadRow<long>(connectionString, Sum, Names, ["x"], _ => throw new InvalidCastException()));
        Assert.Equal(idle - 1, reads.Idle(connectionString, Sum));
        Assert.Equal((1L, 1L), Read(reads, "x"));
        // A statement SQLite refuses is an error of the call, not of the store.
        Assert.Throws<SqliteException>(() => reads.ReadRow(connectionString, "SELECT nothing FROM nowhere", [], [], r => r.GetInt64(0)));
    }

    [Fact]
    public void Only_database_files_apply_and_a_disposed_store_refuses()
    {
        Assert.True(SqlitePreparedReads.Applies(connectionString));
        Assert.False(SqlitePreparedReads.Applies("Data Source=:memory:"));
        Assert.False(SqlitePreparedReads.Applies("Data Source=shared;Mode=Memory;Cache=Shared"));
        Assert.False(SqlitePreparedReads.Applies(null));
        var reads = new SqlitePreparedReads();
        Read(reads, "a");
        reads.Dispose();
        Assert.Equal(0, reads.Idle(connectionString, Sum));
        Assert.Throws<ObjectDisposedException>(() => Read(reads, "a"));
    }
}
