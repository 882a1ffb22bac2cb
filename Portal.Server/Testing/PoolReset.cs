using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

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
        var pool = await pools.Get(request.UserPoolId, ct);
        var id = pool.Row.Id;
        if (id == bootstrap.Created?.AdminPoolId)
            throw new InvalidParameterException($"User pool {id} is Portal's administration pool: testing mode does not reset it.");
        var sql = Statements.GetOrAdd(db.GetType(), _ => new ResetSql(db.Model));
        var factory = PlainSql.Factory(db);
        foreach (var statement in sql.PoolRows)
            await db.Database.ExecuteSqlRawAsync(statement, [PlainSql.Parameter(factory, "@pool", id)], ct);
        var users = await db.Database.ExecuteSqlRawAsync(sql.Users, [PlainSql.Parameter(factory, "@pool", id)], ct);
        // The next test starts on real time.
        if (await db.Database.ExecuteSqlRawAsync(sql.Clock, [PlainSql.Parameter(factory, "@key", PoolClocks.Prefix + id)], ct) > 0)
        {
            await clocks.Changed(db, id, ct);
        }
        return new ResetTestPoolResponse { UsersDeleted = users };
    }

    /// <summary>The reset's statements, one plain <c>DELETE</c> per table (made once per context type from the model's
    /// names) instead of EF's <c>ExecuteDelete</c>, which builds and funcletizes an expression tree at every call. A suite
    /// resets its pool after every test; measured, the difference is inside the machine's noise once Portal is warm
    /// (bench/README.md, testing mode).</summary>
    sealed class ResetSql(Microsoft.EntityFrameworkCore.Metadata.IModel model)
    {
        public string[] PoolRows { get; } =
        [
            Delete<AuthSessionRow>(model, nameof(AuthSessionRow.UserPoolId), "@pool"), Delete<RefreshTokenRow>(model, nameof(RefreshTokenRow.UserPoolId), "@pool"),
            Delete<AuthorizationCodeRow>(model, nameof(AuthorizationCodeRow.UserPoolId), "@pool"), Delete<AuthEventRow>(model, nameof(AuthEventRow.UserPoolId), "@pool"),
            Delete<CodeRow>(model, nameof(CodeRow.UserPoolId), "@pool"), Delete<GroupMemberRow>(model, nameof(GroupMemberRow.UserPoolId), "@pool"),
            Delete<LinkedIdentityRow>(model, nameof(LinkedIdentityRow.UserPoolId), "@pool"), Delete<OutboxMessageRow>(model, nameof(OutboxMessageRow.UserPoolId), "@pool"),
        ];

        public string Users { get; } = Delete<UserRow>(model, nameof(UserRow.UserPoolId), "@pool");

        public string Clock { get; } = Delete<SettingRow>(model, nameof(SettingRow.Key), "@key");

        static string Delete<T>(Microsoft.EntityFrameworkCore.Metadata.IModel model, string member, string parameter)
        {
            var entity = model.FindEntityType(typeof(T))!;
            return $"DELETE FROM {PlainSql.Table(entity)} WHERE {PlainSql.Column(entity, member)} = {parameter}";
        }
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ResetSql> Statements = new();
}
