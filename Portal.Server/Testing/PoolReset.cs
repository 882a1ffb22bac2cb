using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;
using static Portal.Server.Storage.PlainSql;

namespace Portal.Server.Testing;

public sealed record ResetTestPoolRequest : ICognitoRequest<ResetTestPoolResponse>
{
    public string? UserPoolId { get; init; }
}

public sealed record ResetTestPoolResponse
{
    public int UsersDeleted { get; init; }
}

/// <summary>Empties a pool between tests and keeps its configuration: its users (their group memberships, codes and
/// linked identities go with them by the store's cascades), auth sessions, refresh tokens, authorization codes, auth
/// events, its messages and its clock offset, in the dispatcher's one transaction. The administration pool is refused: resetting it would
/// lock every operator out.</summary>
sealed class ResetTestPool(PortalDb db, UserPoolStore pools, Bootstrap bootstrap, PoolClocks clocks) : IOperation<ResetTestPoolRequest, ResetTestPoolResponse>
{
    public async Task<ResetTestPoolResponse> Handle(ResetTestPoolRequest request, CancellationToken ct)
    {
        // The pool as this instance caches it: the reset reads nothing of it but its id.
        var pool = await pools.Cached(request.UserPoolId, ct);
        var id = pool.Row.Id;
        if (id == bootstrap.Created?.AdminPoolId)
            throw new InvalidParameterException($"User pool {id} is Portal's administration pool: testing mode does not reset it.");
        // One statement per table would pay EF's expression work and a command per table (nine of ten find nothing in a
        // reset between tests): the pool's rows go in one batch of plain DELETEs, the users (counted) and the clock after.
        var factory = Factory(db);
        await db.Database.ExecuteSqlRawAsync(ChildRows(db), [Parameter(factory, "@pool", id)], ct);
        var users = await db.Database.ExecuteSqlRawAsync(ByPool(db, typeof(UserRow)), [Parameter(factory, "@pool", id)], ct);
        // The next test starts on real time.
        var clockKey = PoolClocks.Prefix + id;
        if (await db.Database.ExecuteSqlRawAsync(ClockRow(db), [Parameter(factory, "@key", clockKey)], ct) > 0)
        {
            await clocks.Changed(db, id, ct);
        }
        return new ResetTestPoolResponse { UsersDeleted = users };
    }

    /// <summary>The pool's rows that hang off its users or stand beside them, in the order the old statements ran: sessions,
    /// refresh tokens, authorization codes, auth events, codes, group memberships, linked identities, messages.</summary>
    static readonly Type[] Children =
    [
        typeof(AuthSessionRow), typeof(RefreshTokenRow), typeof(AuthorizationCodeRow), typeof(AuthEventRow), typeof(CodeRow),
        typeof(GroupMemberRow), typeof(LinkedIdentityRow), typeof(OutboxMessageRow),
    ];

    /// <summary>The statements are the same for every reset of a provider: made once from EF's model (its table and column
    /// names), keyed by the context's type (SQLite's or PostgreSQL's).</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type Db, string Kind), string> Statements = new();

    static string ChildRows(PortalDb db) => Statements.GetOrAdd((db.GetType(), "children"), _ =>
        string.Join("\n", Children.Select(t => ByPool(db, t))));

    static string ByPool(PortalDb db, Type row) => Statements.GetOrAdd((db.GetType(), row.Name), _ =>
    {
        var entity = db.Model.FindEntityType(row)!;
        return $"DELETE FROM {Table(entity)} WHERE {Column(entity, "UserPoolId")} = @pool;";
    });

    static string ClockRow(PortalDb db) => Statements.GetOrAdd((db.GetType(), "clock"), _ =>
    {
        var entity = db.Model.FindEntityType(typeof(SettingRow))!;
        return $"DELETE FROM {Table(entity)} WHERE {Column(entity, nameof(SettingRow.Key))} = @key;";
    });
}
