using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Portal.Server.Storage;

/// <summary>Statements written as SQL with the names EF's model gives tables and columns, for the hot paths where
/// EF's <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> would build, funcletize and look up an expression tree at every call.
/// Run through <c>ExecuteSqlRawAsync</c>, they stay in the operation's transaction (the lazy transaction's interceptor
/// sees them as any command).</summary>
static class PlainSql
{
    /// <summary>An identifier quoted as SQLite and PostgreSQL both read it.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The entity's table, quoted (with its schema, if it has one).</summary>
    public static string Table(IEntityType entity) =>
        entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(entity.GetTableName()!)}" : Quote(entity.GetTableName()!);

    /// <summary>The column of the entity's <paramref name="member"/> in its table, quoted.</summary>
    public static string Column(IEntityType entity, string member) =>
        Quote(entity.FindProperty(member)!.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()))!);

    /// <summary>The provider of the context's connection (SQLite's or Npgsql's), which makes parameters of its own type.</summary>
    public static DbProviderFactory Factory(PortalDb db) => DbProviderFactories.GetFactory(db.Database.GetDbConnection())!;

    public static DbParameter Parameter(DbProviderFactory factory, string name, object? value)
    {
        var parameter = factory.CreateParameter()!;
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}
