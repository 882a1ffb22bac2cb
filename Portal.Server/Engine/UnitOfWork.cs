using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Server.Storage;

namespace Portal.Server.Engine;

/// <summary>
/// The unit of work of one operation, carried by its <see cref="PortalDb"/> (<c>db.Work</c>). The dispatcher starts it;
/// the operation's database transaction begins lazily at its first write (a save, an ExecuteUpdate/Delete, an upsert),
/// and is committed only when the handler succeeds, rolled back otherwise. Reads before the first write take no lock,
/// which matters on SQLite, where a transaction holds the one writer's lock until it ends.
/// <para>
/// Side effects that must outlive a failed operation (failed-attempt and lockout counters, failed auth events, consumed
/// sessions, rate-limit counters, trigger invocation logs) say so through <see cref="Durably{T}"/>,
/// <see cref="AddDurably"/>, <see cref="IfFailed"/> or <see cref="AtEnd"/>: a durable write made before the transaction
/// began commits at once; one made inside it runs there (so the operation sees it, and conditional updates stay atomic
/// under the transaction's lock) and runs again on its own after the rollback should the operation fail. Nothing is ever
/// written from a second connection while the operation's transaction is open: on SQLite that connection would wait for
/// the lock the operation holds.
/// </para>
/// Outside an operation (start-up work, the hosted UI's own endpoints) every write commits on its own, as EF does.
/// </summary>
public sealed class UnitOfWork(PortalDb db)
{
    readonly List<Func<CancellationToken, Task>> ifFailed = [];
    readonly List<object> durableRows = [];
    readonly List<AfterCommitWork> afterCommit = [];
    readonly List<Func<CancellationToken, Task>> atEnd = [];
    int durableDepth;

    /// <summary>Whether an operation of the dispatcher is running on this context.</summary>
    public bool InOperation { get; private set; }

    /// <summary>The next write opens the operation's transaction.</summary>
    internal bool BeginsOnWrite => InOperation && durableDepth == 0 && db.Database.CurrentTransaction is null;

    /// <summary>Runs a write that must survive the operation's failure and answers its result: committed at once when the
    /// operation has written nothing yet; otherwise inside the operation's transaction and, if that rolls back, again on
    /// its own. The write must therefore be safe to run twice over a store where its first run was undone (an increment,
    /// a conditional update, a delete by key).</summary>
    public async Task<T> Durably<T>(Func<CancellationToken, Task<T>> write, CancellationToken ct)
    {
        var inTransaction = InOperation && db.Database.CurrentTransaction is not null;
        durableDepth++;
        try
        {
            var result = await write(ct);
            if (inTransaction) ifFailed.Add(async c => await write(c));
            // Durable rows this write saved outside the transaction are committed already.
            else durableRows.RemoveAll(r => db.Entry(r).State == EntityState.Unchanged);
            return result;
        }
        finally
        {
            durableDepth--;
        }
    }

    /// <inheritdoc cref="Durably{T}"/>
    public Task Durably(Func<CancellationToken, Task> write, CancellationToken ct) =>
        Durably(async c => { await write(c); return true; }, ct);

    /// <summary>Adds a row that is kept even when the operation fails: saved with the operation's work when it succeeds,
    /// inserted on its own after the rollback otherwise. Outside an operation it is only added (the caller saves).</summary>
    public void AddDurably(object row)
    {
        db.Add(row);
        if (InOperation && durableDepth == 0) durableRows.Add(row);
    }

    /// <summary>A write made only if the operation fails, after its rollback (e.g. consuming the session the failed step
    /// was given, which the rollback would otherwise restore). Nothing outside an operation.</summary>
    public void IfFailed(Func<CancellationToken, Task> write)
    {
        if (InOperation && durableDepth == 0) ifFailed.Add(write);
    }

    /// <summary>A durable write that may wait for the operation's end, whatever that is (taking back an attempt counted
    /// before a secret proved right): made in the operation's transaction just before it commits, so it costs no commit
    /// of its own, or on its own after the rollback should the operation fail. Answers false outside an operation (or
    /// inside a durable write), where the caller writes at once. The write must be safe to run over a store where other
    /// work happened since (a conditional update).</summary>
    public bool AtEnd(Func<CancellationToken, Task> write)
    {
        if (!InOperation || durableDepth > 0) return false;
        atEnd.Add(write);
        ifFailed.Add(write);
        return true;
    }

    /// <summary>Work that must wait for the operation to be committed (sending its messages): run after the commit, outside
    /// the transaction (so no lock is held while a mail server answers), and not at all if the operation fails. Outside an
    /// operation it runs at once.</summary>
    public async Task AfterCommit(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        if (InOperation) afterCommit.Add(new(work, Answers: false));
        else await work(ct);
    }

    /// <summary>Work that runs after the operation is committed and whose failure is the operation's answer: the Post*
    /// triggers, which Cognito runs once the change is made and which keep it when they fail (the caller hears the
    /// function's error). Run outside the transaction, so a function calling back into Portal's API to write does not
    /// wait for this operation's lock. Outside an operation it runs at once.</summary>
    public async Task AfterCommitAnswering(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        if (InOperation) afterCommit.Add(new(work, Answers: true));
        else await work(ct);
    }

    internal void Start() => InOperation = true;

    /// <summary>
    /// A save of the operation: the auth-session changes it writes are the step's record (a session used up, its count
    /// of wrong codes), kept when the step then fails, as a flow's state must be: an answer that failed cannot be
    /// retried more often than the flow allows. Changes a step made but did not save are not kept.
    /// </summary>
    internal void Saving()
    {
        if (!InOperation || durableDepth > 0) return;
        foreach (var entry in db.ChangeTracker.Entries<AuthSessionRow>())
        {
            var id = entry.Entity.Id;
            if (entry.State == EntityState.Deleted)
                ifFailed.Add(c => db.AuthSessions.Where(s => s.Id == id).ExecuteDeleteAsync(c));
            else if (entry.State == EntityState.Modified)
            {
                var (state, expires) = (entry.Entity.State, entry.Entity.ExpiresAt);
                ifFailed.Add(c => db.AuthSessions.Where(s => s.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, state).SetProperty(x => x.ExpiresAt, expires), c));
            }
        }
    }

    /// <summary>The handler succeeded: the writes left for the end are made, what it left unsaved of the durable rows (and
    /// the audit entry) is saved, then the transaction commits. Answers the work to run after the commit.</summary>
    internal async Task<IReadOnlyList<AfterCommitWork>> Complete(bool save, CancellationToken ct)
    {
        foreach (var write in atEnd) await write(ct);
        if (save || durableRows.Any(r => db.Entry(r).State == EntityState.Added)) await db.SaveChangesAsync(ct);
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.CommitAsync(ct);
            await transaction.DisposeAsync();
        }
        var then = afterCommit.ToList();
        End();
        return then;
    }

    /// <summary>The handler failed: the transaction rolls back, the tracked state goes with it, and the durable writes
    /// are made again, each committing on its own.</summary>
    internal async Task Fail(ILogger log)
    {
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            await transaction.DisposeAsync();
        }
        var rows = durableRows.ToList();
        var writes = ifFailed.ToList();
        End();
        // The failed work must not be saved by a durable write's save.
        db.ChangeTracker.Clear();
        try
        {
            foreach (var row in rows) db.Add(row);
            if (rows.Count > 0) await db.SaveChangesAsync(CancellationToken.None);
            foreach (var write in writes) await write(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or DbException)
        {
            // The operation's own error is what the caller hears; a durable write that cannot be made is logged.
            log.LogWarning(e, "A durable write of a failed operation could not be made");
        }
    }

    void End()
    {
        InOperation = false;
        ifFailed.Clear();
        afterCommit.Clear();
        atEnd.Clear();
        durableRows.Clear();
    }
}

/// <summary>Work to run once an operation is committed; when <paramref name="Answers"/>, its failure is what the caller hears.</summary>
internal sealed record AfterCommitWork(Func<CancellationToken, Task> Run, bool Answers);

/// <summary>Begins the operation's transaction before its first write command (ExecuteUpdate, ExecuteDelete, raw SQL);
/// saves begin it in <see cref="PortalDb.SaveChangesAsync(bool, CancellationToken)"/>.</summary>
public sealed class LazyTransaction : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Begin(command, eventData);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await BeginAsync(command, eventData, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Begin(command, eventData);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BeginAsync(command, eventData, cancellationToken);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Begin(command, eventData);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await BeginAsync(command, eventData, cancellationToken);
        return result;
    }

    static void Begin(DbCommand command, CommandEventData e)
    {
        if (e.Context is PortalDb { Work.BeginsOnWrite: true } db && Writes(command))
            command.Transaction = db.Database.BeginTransaction().GetDbTransaction();
    }

    static async Task BeginAsync(DbCommand command, CommandEventData e, CancellationToken ct)
    {
        if (e.Context is PortalDb { Work.BeginsOnWrite: true } db && Writes(command))
            command.Transaction = (await db.Database.BeginTransactionAsync(ct)).GetDbTransaction();
    }

    static bool Writes(DbCommand command) => Writes(command.CommandText);

    /// <summary>Whether a statement writes (a CTE too: <c>WITH … INSERT</c>); reads and pragmas do not.</summary>
    internal static bool Writes(string commandText)
    {
        var sql = commandText.AsSpan().TrimStart();
        if (sql.StartsWith("WITH", StringComparison.OrdinalIgnoreCase))
            return sql.Contains("INSERT", StringComparison.OrdinalIgnoreCase) || sql.Contains("UPDATE", StringComparison.OrdinalIgnoreCase)
                   || sql.Contains("DELETE", StringComparison.OrdinalIgnoreCase);
        return sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
               || sql.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }
}
