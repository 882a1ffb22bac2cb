using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Server.Storage;

/// <summary>
/// SQLite has one writer per database file. Writers of this process that meet the lock get SQLITE_BUSY, and
/// Microsoft.Data.Sqlite answers that by sleeping 150 ms and trying again: a write that waited for another write of a
/// few milliseconds answers 150 ms late. Every write transaction of this process on a SQLite file (and every auto-commit
/// write statement) therefore first takes its turn in a first-come first-served queue per file, and starts only when
/// the previous one has ended: it waits exactly as long as the writers before it, without sleeping.
/// <para>
/// The turn is taken when a transaction begins (still <c>BEGIN IMMEDIATE</c>) and given up when it commits, rolls back
/// or its connection closes; an auto-commit write holds it while the statement runs. A turn not given within the
/// connection's timeout fails as a busy database does (SQLITE_BUSY, "database is locked"), never hangs. Other processes
/// on the same file still meet SQLite's own lock and its busy retries. PostgreSQL is not touched.
/// </para>
/// </summary>
public sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>One queue per database file, shared by every context and host of the process: the lock it stands for is
    /// the file's, whoever opened it.</summary>
    static readonly ConcurrentDictionary<string, WriterQueue> Queues = new(StringComparer.Ordinal);

    /// <summary>The turn of the transaction a context has open.</summary>
    readonly ConditionalWeakTable<DbContext, WriterQueue.Turn> transactions = [];

    /// <summary>The turn of an auto-commit write statement while it runs.</summary>
    readonly ConditionalWeakTable<DbCommand, WriterQueue.Turn> statements = [];

    static WriterQueue QueueOf(DbConnection connection) =>
        Queues.GetOrAdd(Path.GetFullPath(((SqliteConnection)connection).DataSource is { Length: > 0 } file ? file : ":memory:"), _ => new());

    static TimeSpan Timeout(int seconds) => seconds <= 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);

    // ---- transactions ------------------------------------------------------------------------------------------------

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        if (eventData.Context is { } context)
        {
            EndTransactionTurn(context);
            transactions.AddOrUpdate(context, QueueOf(connection).Enter(Timeout(((SqliteConnection)connection).DefaultTimeout)));
        }
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            EndTransactionTurn(context);
            transactions.AddOrUpdate(context,
                await QueueOf(connection).EnterAsync(Timeout(((SqliteConnection)connection).DefaultTimeout), cancellationToken));
        }
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => EndTransactionTurn(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        EndTransactionTurn(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => EndTransactionTurn(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        EndTransactionTurn(eventData.Context);
        return Task.CompletedTask;
    }

    // A BEGIN that failed holds no lock; a failed commit or rollback still may, until its connection closes.
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        if (eventData.Action == "Start") EndTransactionTurn(eventData.Context);
    }

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    void EndTransactionTurn(DbContext? context)
    {
        if (context is not null && transactions.TryGetValue(context, out var turn) && transactions.Remove(context)) turn.Dispose();
    }

    // A transaction disposed without a commit or rollback (an exception in an `await using`) rolls back as EF closes the
    // connection it opened for it; a context disposed with a transaction open closes its connection too.

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => EndTransactionTurn(eventData.Context);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        EndTransactionTurn(eventData.Context);
        return Task.CompletedTask;
    }

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => EndTransactionTurn(eventData.Context);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        EndTransactionTurn(eventData.Context);
        return Task.CompletedTask;
    }

    // ---- auto-commit write statements ----------------------------------------------------------------------------------

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterStatement(command, eventData);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterStatementAsync(command, eventData, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterStatement(command, eventData);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterStatementAsync(command, eventData, cancellationToken);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        EnterStatement(command, eventData);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterStatementAsync(command, eventData, cancellationToken);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        EndStatementTurn(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        EndStatementTurn(command);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        EndStatementTurn(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        EndStatementTurn(command);
        return ValueTask.FromResult(result);
    }

    // A statement that answers rows (RETURNING) writes until its reader is done.
    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        EndStatementTurn(command);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        EndStatementTurn(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        EndStatementTurn(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => EndStatementTurn(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        EndStatementTurn(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => EndStatementTurn(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        EndStatementTurn(command);
        return Task.CompletedTask;
    }

    void EnterStatement(DbCommand command, CommandEventData e)
    {
        if (AutoCommitWrite(command, e)) statements.AddOrUpdate(command, QueueOf(command.Connection!).Enter(Timeout(command.CommandTimeout)));
    }

    async Task EnterStatementAsync(DbCommand command, CommandEventData e, CancellationToken ct)
    {
        if (AutoCommitWrite(command, e))
            statements.AddOrUpdate(command, await QueueOf(command.Connection!).EnterAsync(Timeout(command.CommandTimeout), ct));
    }

    void EndStatementTurn(DbCommand command)
    {
        if (statements.TryGetValue(command, out var turn) && statements.Remove(command)) turn.Dispose();
    }

    /// <summary>A write statement outside a transaction (one inside holds the transaction's turn already). Reads and
    /// pragmas take no turn.</summary>
    bool AutoCommitWrite(DbCommand command, CommandEventData e)
    {
        if (command.Transaction is not null || command.Connection is null) return false;
        // A turn left by a transaction whose end EF did not report (its connection stayed open) ends here.
        if (e.Context is { } context && context.Database.CurrentTransaction is null) EndTransactionTurn(context);
        return Portal.Server.Engine.LazyTransaction.Writes(command.CommandText);
    }
}

/// <summary>A first-come first-served queue of writers with one turn at a time.</summary>
sealed class WriterQueue
{
    readonly LinkedList<TaskCompletionSource> waiting = [];
    bool taken;

    public async ValueTask<Turn> EnterAsync(TimeSpan timeout, CancellationToken ct)
    {
        TaskCompletionSource next;
        LinkedListNode<TaskCompletionSource> node;
        lock (waiting)
        {
            if (!taken)
            {
                taken = true;
                return new(this);
            }
            next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            node = waiting.AddLast(next);
        }
        try
        {
            await next.Task.WaitAsync(timeout, ct);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            GiveUp(node);
            if (e is TimeoutException) throw Busy();
            throw;
        }
        return new(this);
    }

    public Turn Enter(TimeSpan timeout)
    {
        TaskCompletionSource next;
        LinkedListNode<TaskCompletionSource> node;
        lock (waiting)
        {
            if (!taken)
            {
                taken = true;
                return new(this);
            }
            next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            node = waiting.AddLast(next);
        }
        if (!next.Task.Wait(timeout))
        {
            GiveUp(node);
            throw Busy();
        }
        return new(this);
    }

    /// <summary>A waiter that stops waiting leaves the queue, unless its turn came meanwhile: then it passes it on.</summary>
    void GiveUp(LinkedListNode<TaskCompletionSource> node)
    {
        lock (waiting)
        {
            if (node.List is not null)
            {
                waiting.Remove(node);
                return;
            }
        }
        Leave();
    }

    void Leave()
    {
        lock (waiting)
        {
            if (waiting.First is { } first)
            {
                waiting.RemoveFirst();
                // The turn passes straight to the next writer; `taken` stays set.
                first.Value.SetResult();
            }
            else taken = false;
        }
    }

    /// <summary>What a busy database answers once the timeout has passed.</summary>
    static SqliteException Busy() => new("SQLite Error 5: 'database is locked'.", 5, 5);

    /// <summary>One writer's turn; disposing it gives the turn to the next writer (once).</summary>
    public sealed class Turn(WriterQueue queue) : IDisposable
    {
        int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0) queue.Leave();
        }
    }
}
