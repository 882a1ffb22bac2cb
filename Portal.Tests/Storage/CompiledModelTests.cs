using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Server.Storage;

namespace Portal.Tests.Storage;

/// <summary>Each provider's context starts from its compiled model (Storage/CompiledModels, found by EF through its
/// assembly attribute), so no start builds the model from OnModelCreating. A model changed without regenerating it
/// would map the old schema in silence: these compare the compiled model with the one OnModelCreating builds (the
/// design-time model, what migrations are made from), table by table, column by column, key by key and index by index,
/// and fail until both are regenerated with the commands in <see cref="Regenerate"/>.</summary>
public sealed class CompiledModelTests
{
    const string Regenerate =
        "dotnet tool run dotnet-ef dbcontext optimize -p Portal.Server -s Portal.Server -c SqlitePortalDb -o Storage/CompiledModels/Sqlite -n Portal.Server.Storage.CompiledModels.Sqlite && " +
        "dotnet tool run dotnet-ef dbcontext optimize --no-build -p Portal.Server -s Portal.Server -c PostgresPortalDb -o Storage/CompiledModels/Postgres -n Portal.Server.Storage.CompiledModels.Postgres";

    [Fact]
    public void Sqlite_context_uses_its_compiled_model_and_it_matches_OnModelCreating() =>
        AssertCurrent(new SqlitePortalDb(new DbContextOptionsBuilder<SqlitePortalDb>().UseSqlite("Data Source=:memory:").Options), "Sqlite");

    [Fact]
    public void Postgres_context_uses_its_compiled_model_and_it_matches_OnModelCreating() =>
        AssertCurrent(new PostgresPortalDb(new DbContextOptionsBuilder<PostgresPortalDb>().UseNpgsql("Host=localhost;Database=compiled-model-check").Options), "Postgres");

    [Fact]
    public void A_changed_model_is_reported_with_the_command_that_regenerates_it()
    {
        using var db = new SqlitePortalDb(new DbContextOptionsBuilder<SqlitePortalDb>().UseSqlite("Data Source=:memory:").Options);
        var built = Describe(db.GetService<IDesignTimeModel>().Model);
        var changed = built.Select(l => l.Replace("\"Users\".\"Enabled\"", "\"Users\".\"IsEnabled\"", StringComparison.Ordinal)).ToList();
        var message = Difference(changed, built, "Sqlite");
        Assert.NotNull(message);
        Assert.Contains("\"Users\".\"IsEnabled\"", message);
        Assert.Contains("dotnet-ef dbcontext optimize -p Portal.Server -s Portal.Server -c SqlitePortalDb", message);
    }

    static void AssertCurrent(PortalDb db, string provider)
    {
        using (db)
        {
            var compiled = db.Model;
            Assert.Equal($"Portal.Server.Storage.CompiledModels.{provider}", compiled.GetType().Namespace);
            var built = db.GetService<IDesignTimeModel>().Model;
            Assert.NotSame(built, compiled);
            var message = Difference(Describe(built), Describe(compiled), provider);
            Assert.True(message is null, message);
        }
    }

    /// <summary>Null when the two descriptions are the same; otherwise what differs and how to regenerate.</summary>
    static string? Difference(IReadOnlyList<string> built, IReadOnlyList<string> compiled, string provider)
    {
        var missing = built.Except(compiled).ToList();
        var extra = compiled.Except(built).ToList();
        if (missing.Count == 0 && extra.Count == 0) return null;
        return $"The {provider} compiled model (Portal.Server/Storage/CompiledModels/{provider}) is out of date with OnModelCreating. " +
               $"Regenerate both providers' compiled models from the repository root:{Environment.NewLine}  {Regenerate}{Environment.NewLine}" +
               $"In OnModelCreating, not in the compiled model ({missing.Count}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", missing.Take(20)) +
               $"{Environment.NewLine}In the compiled model, not in OnModelCreating ({extra.Count}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", extra.Take(20));
    }

    /// <summary>One line per fact a query or a save depends on: each entity's table and each property's column, CLR and
    /// store type, nullability and converter; each table's columns, keys, indexes and foreign keys. Defaults, computed
    /// columns, collations and index sort orders only shape the DDL (the migrations); the read-optimized model does not keep them.</summary>
    static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName() is { } t ? StoreObjectIdentifier.Table(t, entity.GetSchema()) : (StoreObjectIdentifier?)null;
            lines.Add($"entity {entity.Name} -> {table?.DisplayName()} view {entity.GetViewName()}");
            foreach (var p in entity.GetProperties())
                lines.Add($"property {entity.Name}.{p.Name}: {p.ClrType} -> {(table is { } st ? p.GetColumnName(st) : p.GetColumnName())} " +
                          $"{p.GetRelationalTypeMapping().StoreType} null {p.IsNullable} converter {p.GetTypeMapping().Converter?.ProviderClrType} " +
                          $"generated {p.ValueGenerated} concurrency {p.IsConcurrencyToken} max {p.GetMaxLength()}");
            foreach (var n in entity.GetNavigations())
                lines.Add($"navigation {entity.Name}.{n.Name} -> {n.TargetEntityType.Name} collection {n.IsCollection}");
        }
        foreach (var table in model.GetRelationalModel().Tables)
        {
            var name = $"\"{table.Schema}\".\"{table.Name}\"";
            foreach (var c in table.Columns)
                lines.Add($"column {name}.\"{c.Name}\" {c.StoreType} null {c.IsNullable}");
            if (table.PrimaryKey is { } pk)
                lines.Add($"primary key {name} {pk.Name} ({string.Join(", ", pk.Columns.Select(c => c.Name))})");
            foreach (var u in table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()))
                lines.Add($"unique {name} {u.Name} ({string.Join(", ", u.Columns.Select(c => c.Name))})");
            foreach (var i in table.Indexes)
                lines.Add($"index {name} {i.Name} ({string.Join(", ", i.Columns.Select(c => c.Name))}) unique {i.IsUnique} filter {i.Filter}");
            foreach (var fk in table.ForeignKeyConstraints)
                lines.Add($"foreign key {name} {fk.Name} ({string.Join(", ", fk.Columns.Select(c => c.Name))}) -> {fk.PrincipalTable.Name} ({string.Join(", ", fk.PrincipalColumns.Select(c => c.Name))}) {fk.OnDeleteAction}");
        }
        return lines;
    }
}
