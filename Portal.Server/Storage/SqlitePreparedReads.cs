using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Portal.Server.Storage;

/// <summary>
/// A hot read-only statement kept prepared, on SQLite, on connections of its own. Microsoft.Data.Sqlite prepares a
/// command's statement anew every time a connection is opened (it keeps no statements across commands or pooled
/// connections, dotnet/efcore#14044), and for a statement run once per request that preparing costs as much as running
/// it. Here each statement has a few connections opened once, each with the command prepared once; a call takes one,
/// sets its parameters, runs it and gives it back.
/// <para>Only for reads that need nothing uncommitted of the request: the connection is not the request's, so the read
/// sees what was committed (WAL: it never waits for a writer), not the request's own pending writes.</para>
/// </summary>
public sealed class SqlitePreparedReads : IDisposable
{
    /// <summary>At most this many idle connections are kept per statement and database; more are closed when given back.</summary>
    public static readonly int IdlePerStatement = Math.Max(2, Environment.ProcessorCount * 2);

    sealed class Prepared(SqliteConnection connection, SqliteCommand command, SqliteParameter[] parameters) : IDisposable
    {
        public readonly SqliteCommand Command = command;
        public readonly SqliteParameter[] Parameters = parameters;

        public void Dispose()
        {
            Command.Dispose();
            connection.Dispose();
        }
    }

    readonly ConcurrentDictionary<(string ConnectionString, string Sql), ConcurrentBag<Prepared>> idle = new();
    int disposed;

    /// <summary>Whether reads of this database can run here: a database file (an in-memory database is the connection's own).</summary>
    public static bool Applies(string? connectionString) => !string.IsNullOrEmpty(connectionString) && Files.GetOrAdd(connectionString, static cs =>
    {
        var builder = new SqliteConnectionStringBuilder(cs);
        return builder.Mode is not SqliteOpenMode.Memory && builder.DataSource is { Length: > 0 } source && source != ":memory:";
    });

    /// <summary>Whether each connection string seen names a database file (parsed once each).</summary>
    static readonly ConcurrentDictionary<string, bool> Files = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="sql"/> with the values of <paramref name="names"/> (same order) and reads its first row.</summary>
    public T ReadRow<T>(string connectionString, string sql, string[] names, object?[] values, Func<SqliteDataReader, T> read)
    {
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        var bag = idle.GetOrAdd((connectionString, sql), _ => []);
        var prepared = bag.TryTake(out var taken) ? taken : Prepare(connectionString, sql, names);
        var keep = false;
        try
        {
            for (var i = 0; i < names.Length; i++) prepared.Parameters[i].Value = values[i] ?? DBNull.Value;
            T row;
            using (var reader = prepared.Command.ExecuteReader(System.Data.CommandBehavior.SingleRow))
            {
                if (!reader.Read()) throw new InvalidOperationException("The statement returned no row.");
                row = read(reader);
            }
            keep = true;
            return row;
        }
        finally
        {
            // A statement that failed is not kept (its connection may be in any state); nor more than the cap.
            if (keep && disposed == 0 && bag.Count < IdlePerStatement) bag.Add(prepared);
            else prepared.Dispose();
        }
    }

    /// <summary>How many prepared connections of this statement wait idle.</summary>
    public int Idle(string connectionString, string sql) => idle.TryGetValue((connectionString, sql), out var bag) ? bag.Count : 0;

    static Prepared Prepare(string connectionString, string sql, string[] names)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var command = connection.CreateCommand();
            command.CommandText = sql;
            var parameters = new SqliteParameter[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                parameters[i] = command.CreateParameter();
                parameters[i].ParameterName = names[i];
                parameters[i].Value = DBNull.Value;
                command.Parameters.Add(parameters[i]);
            }
            command.Prepare();
            return new Prepared(connection, command, parameters);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        foreach (var bag in idle.Values)
            while (bag.TryTake(out var prepared)) prepared.Dispose();
    }
}
