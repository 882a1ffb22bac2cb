using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Client.Contract.Sync;
using Portal.Server.Storage;
using static Portal.Server.Storage.PlainSql;

namespace Portal.Server.Sync.Operations;

/// <summary>
/// The plain-SQL writes of <c>UpdateRecords</c>: the dataset's conditional count advance (<see cref="AdvanceDataset"/>)
/// and the records, written with <c>INSERT … ON CONFLICT (IdentityId, DatasetName, Key) DO UPDATE</c>, which SQLite and
/// PostgreSQL both speak, in the operation's transaction (the <see cref="Engine.LazyTransaction"/> interceptor sees it as
/// any raw SQL). EF's change tracking of a hundred records and its statement per record cost most of a 100-patch update's
/// CPU (bench/README.md, Cognito Sync). On PostgreSQL the rows are parameters, one statement per <see cref="Chunk"/>
/// records. On SQLite they go as one JSON array parameter read by <c>json_each</c>, one short statement for all of them:
/// with 8 parameters a record, Microsoft.Data.Sqlite's lookups of parameters by name (EF checks each name against the
/// command's list, SQLite binds each by name) and the parse of a statement of 800 placeholders were a third of a
/// 100-patch update's CPU (bench/README.md, run 6).
/// <para>Tables, columns and values come from EF's model: each value goes through its property's value converter, so the
/// row holds what EF writes and reads back (on SQLite a DateTimeOffset is stored as <c>DateTimeOffsetToBinaryConverter</c>'s
/// long, not Microsoft.Data.Sqlite's default text; on PostgreSQL a <c>timestamptz</c>).</para>
/// </summary>
static class RecordWrites
{
    public const int Chunk = 200;

    /// <summary>The records' table and columns, quoted as the statements name them; the properties convert the values.</summary>
    sealed record Shape(string Table, string[] ColumnNames, IProperty[] Columns, ConcurrentDictionary<int, string> Sql);

    static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    static readonly string[] Members =
    [
        nameof(SyncRecordRow.IdentityId), nameof(SyncRecordRow.DatasetName), nameof(SyncRecordRow.Key), nameof(SyncRecordRow.Value),
        nameof(SyncRecordRow.SyncCount), nameof(SyncRecordRow.LastModifiedAt), nameof(SyncRecordRow.LastModifiedBy),
        nameof(SyncRecordRow.DeviceLastModifiedAt),
    ];

    static Shape ShapeOf(PortalDb db) => Shapes.GetOrAdd(db.GetType(), _ =>
    {
        var entity = db.Model.FindEntityType(typeof(SyncRecordRow))!;
        return new(Table(entity), Members.Select(m => Column(entity, m)).ToArray(), Members.Select(m => entity.FindProperty(m)!).ToArray(), new());
    });

    static string Sql(Shape shape, int rows) => shape.Sql.GetOrAdd(rows, n =>
    {
        var columns = shape.ColumnNames;
        var sql = new StringBuilder($"INSERT INTO {shape.Table} ({string.Join(", ", columns)}) VALUES ");
        for (var r = 0; r < n; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++) sql.Append(c == 0 ? "" : ", ").Append("@r").Append(r).Append('_').Append(c);
            sql.Append(')');
        }
        sql.Append(" ON CONFLICT (").AppendJoin(", ", columns.Take(3)).Append(") DO UPDATE SET ");
        sql.AppendJoin(", ", columns.Skip(3).Select(c => $"{c} = excluded.{c}"));
        return sql.ToString();
    });

    /// <summary>Inserts or replaces the records (removed ones as tombstones: Value null) of the identity's dataset.</summary>
    public static async Task Upsert(PortalDb db, string identityId, string datasetName, IReadOnlyList<Record> records, CancellationToken ct)
    {
        if (records.Count == 0) return;
        var shape = ShapeOf(db);
        if (db.Database.IsSqlite() && Rows(shape, records) is { } rows)
        {
            await db.Database.ExecuteSqlRawAsync(JsonSql(shape), [new SqliteParameter("@identity", identityId), new SqliteParameter("@dataset", datasetName),
                new SqliteParameter("@rows", rows)], ct);
            return;
        }
        var factory = Factory(db);
        for (var start = 0; start < records.Count; start += Chunk)
        {
            var n = Math.Min(Chunk, records.Count - start);
            var parameters = new DbParameter[n * shape.Columns.Length];
            for (var r = 0; r < n; r++)
            {
                var record = records[start + r];
                object?[] values =
                [
                    identityId, datasetName, record.Key, record.Value, record.SyncCount, record.LastModifiedDate, record.LastModifiedBy,
                    record.DeviceLastModifiedDate,
                ];
                for (var c = 0; c < values.Length; c++)
                    parameters[r * values.Length + c] = Parameter(factory, "@r" + r + "_" + c, Provider(shape.Columns[c], values[c]));
            }
            await db.Database.ExecuteSqlRawAsync(Sql(shape, n), parameters, ct);
        }
    }

    sealed record DatasetShape(string Sql, string SqlRecreated, IProperty LastModifiedAt);

    static readonly ConcurrentDictionary<Type, DatasetShape> DatasetShapes = new();

    static DatasetShape DatasetShapeOf(PortalDb db) => DatasetShapes.GetOrAdd(db.GetType(), _ =>
    {
        var entity = db.Model.FindEntityType(typeof(SyncDatasetRow))!;
        string C(string member) => Column(entity, member);
        var set = $"UPDATE {Table(entity)} SET {C(nameof(SyncDatasetRow.SyncCount))} = @count, "
            + $"{C(nameof(SyncDatasetRow.DataStorage))} = @storage, {C(nameof(SyncDatasetRow.NumRecords))} = @records, "
            + $"{C(nameof(SyncDatasetRow.SyncSessions))} = {C(nameof(SyncDatasetRow.SyncSessions))} + 1, "
            + $"{C(nameof(SyncDatasetRow.LastModifiedAt))} = @now, {C(nameof(SyncDatasetRow.LastModifiedBy))} = @identity, "
            + $"{C(nameof(SyncDatasetRow.DeletedAt))} = NULL";
        var where = $" WHERE {C(nameof(SyncDatasetRow.IdentityId))} = @identity AND {C(nameof(SyncDatasetRow.Name))} = @name "
            + $"AND {C(nameof(SyncDatasetRow.SyncCount))} = @old";
        return new(set + where, set + $", {C(nameof(SyncDatasetRow.CreatedAt))} = @now" + where, entity.FindProperty(nameof(SyncDatasetRow.LastModifiedAt))!);
    });

    /// <summary>The dataset's count goes from <paramref name="oldCount"/> to <paramref name="newCount"/> with its new size,
    /// one more sync session, and its modification (a deleted dataset is live again, made anew when
    /// <paramref name="recreated"/>): one conditional <c>UPDATE</c>, which answers 0 when another device changed the dataset
    /// first. Plain SQL: EF's <c>ExecuteUpdate</c> builds, funcletizes and looks up its expression tree at every call, a
    /// tenth of an update's CPU (bench/README.md, Sync).</summary>
    public static Task<int> AdvanceDataset(PortalDb db, string identityId, string name, long oldCount, long newCount, long storage, long records,
        DateTimeOffset now, bool recreated, CancellationToken ct)
    {
        var shape = DatasetShapeOf(db);
        var factory = Factory(db);
        return db.Database.ExecuteSqlRawAsync(recreated ? shape.SqlRecreated : shape.Sql,
        [
            Parameter(factory, "@count", newCount), Parameter(factory, "@storage", storage), Parameter(factory, "@records", records),
            Parameter(factory, "@now", Provider(shape.LastModifiedAt, now)), Parameter(factory, "@identity", identityId),
            Parameter(factory, "@name", name), Parameter(factory, "@old", oldCount),
        ], ct);
    }

    /// <summary>SQLite's statement: the rows of the JSON array <c>@rows</c>, each <c>[Key, Value, SyncCount,
    /// LastModifiedAt, LastModifiedBy, DeviceLastModifiedAt]</c> as the columns hold them (<c>WHERE true</c>: SQLite's
    /// grammar needs it before <c>ON CONFLICT</c> of an <c>INSERT … SELECT</c>).</summary>
    static string JsonSql(Shape shape) => shape.Sql.GetOrAdd(0, _ => // 0: no parameter statement has 0 rows
    {
        var columns = shape.ColumnNames;
        var sql = new StringBuilder($"INSERT INTO {shape.Table} ({string.Join(", ", columns)}) SELECT @identity, @dataset");
        for (var c = 2; c < columns.Length; c++) sql.Append(", json_extract(value, '$[").Append(c - 2).Append("]')");
        sql.Append(" FROM json_each(@rows) WHERE true ON CONFLICT (").AppendJoin(", ", columns.Take(3)).Append(") DO UPDATE SET ");
        sql.AppendJoin(", ", columns.Skip(3).Select(c => $"{c} = excluded.{c}"));
        return sql.ToString();
    });

    /// <summary>The records as SQLite's JSON array (each value through its column's converter), or null when a value cannot
    /// go through JSON as it is (a text that is not valid UTF-16; the parameters then carry it, as before).</summary>
    static string? Rows(Shape shape, IReadOnlyList<Record> records)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(records.Count * 96);
        try
        {
            using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartArray();
                foreach (var record in records)
                {
                    json.WriteStartArray();
                    object?[] values = [record.Key, record.Value, record.SyncCount, record.LastModifiedDate, record.LastModifiedBy, record.DeviceLastModifiedDate];
                    for (var c = 0; c < values.Length; c++)
                    {
                        switch (Provider(shape.Columns[c + 2], values[c]))
                        {
                            case DBNull: json.WriteNullValue(); break;
                            case string text: json.WriteStringValue(text); break;
                            case long number: json.WriteNumberValue(number); break;
                            case int number: json.WriteNumberValue(number); break;
                            default: return null;
                        }
                    }
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The value as the column holds it: through the property's value converter, if it has one.</summary>
    static object Provider(IProperty property, object? value) =>
        value is null ? DBNull.Value : (property.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
}
