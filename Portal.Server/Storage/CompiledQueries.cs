using System.Collections.Concurrent;

namespace Portal.Server.Storage;

/// <summary>A set of compiled queries (<c>EF.CompileAsyncQuery</c>), one instance per context type. A compiled query keeps
/// the executor of the model it first ran with and compiles again whenever it meets another, and one process may hold
/// SQLite's and PostgreSQL's contexts (the tests run both side by side): each context type gets its own set.</summary>
abstract class CompiledQueries<TSelf> where TSelf : CompiledQueries<TSelf>, new()
{
    static readonly ConcurrentDictionary<Type, TSelf> ByContext = new();

    public static TSelf For(PortalDb db) => ByContext.GetOrAdd(db.GetType(), static _ => new TSelf());

    /// <summary>The rows of a compiled query that returns several.</summary>
    public static async Task<List<T>> ToList<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct)) list.Add(row);
        return list;
    }
}
