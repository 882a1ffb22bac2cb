// The benchmark's helper, run by ../run.sh (never by the test suite):
//   seed --data <folder> --pool <poolId> --users N [--batch 10000]
//       inserts N confirmed users with realistic, unique email/name/given_name/family_name straight into Portal's
//       SQLite store (raw prepared INSERTs, one transaction per batch): the API would take hours for a million.
//       Table, columns and value conversions come from Portal's own EF model, so the rows are exactly what
//       AdminCreateUser writes, minus a password (the sign-in figures use users made through the API).
//   people --users N
//       prints the same kind of people as a JSON array (username, email, names, sub, createdAt), for cognito-local's store.
//   hash-cost [--count 20]
//       times Portal's PasswordHasher (Argon2id) and the SRP verifier that every password change also computes.
//   identities --data <folder> --identity-pool <id> --provider <login key> --identities N [--batch 10000]
//       inserts N identities of an identity pool, each holding one login of the provider (a made-up user id), straight
//       into the Identities and IdentityLogins tables (the same bulk load as seed), for ./identity-pools.sh.
//   verify-cost [--count 2000]
//       times one RS256 signature check of an ID token (RSA 2048, PKCS#1 v1.5, SHA-256), the floor of a signed-in call.
// Each mode prints one JSON line on stdout for the driver.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Server.Auth;
using Portal.Server.Storage;

var mode = args.FirstOrDefault() ?? "";
string Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
}

switch (mode)
{
    case "seed":
        Seed(Option("--data"), Option("--pool"), int.Parse(Option("--users"), CultureInfo.InvariantCulture), int.Parse(Option("--batch", "10000"), CultureInfo.InvariantCulture));
        return 0;
    case "people":
        PeopleJson(int.Parse(Option("--users"), CultureInfo.InvariantCulture));
        return 0;
    case "hash-cost":
        HashCost(int.Parse(Option("--count", "20"), CultureInfo.InvariantCulture));
        return 0;
    case "identities":
        SeedIdentities(Option("--data"), Option("--identity-pool"), Option("--provider"), int.Parse(Option("--identities"), CultureInfo.InvariantCulture),
            int.Parse(Option("--batch", "10000"), CultureInfo.InvariantCulture));
        return 0;
    case "verify-cost":
        VerifyCost(int.Parse(Option("--count", "2000"), CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine("usage: Seed seed --data <folder> --pool <poolId> --users N [--batch 10000] | Seed people --users N | Seed hash-cost [--count 20]");
        return 2;
}

static void Seed(string dataFolder, string poolId, int count, int batch)
{
    var options = new DbContextOptionsBuilder<SqlitePortalDb>().UseSqlite(StorageSetup.SqliteConnectionString(dataFolder)).Options;
    using var db = new SqlitePortalDb(options);
    var entity = db.Model.FindEntityType(typeof(UserRow))!;
    var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
    var properties = entity.GetProperties().ToList();
    var columns = properties.Select(p => p.GetColumnName(table)!).ToList();

    using var connection = new SqliteConnection(db.Database.GetConnectionString());
    connection.Open();
    if (Exec(connection, $"SELECT COUNT(*) FROM UserPools WHERE Id = '{poolId.Replace("'", "''")}'")?.Equals(1L) != true)
        throw new InvalidOperationException($"pool {poolId} not found in {dataFolder}");
    // This connection only: the seeding is repeatable, so it need not survive a power cut.
    Exec(connection, "PRAGMA synchronous = OFF");
    Exec(connection, "PRAGMA cache_size = -262144");

    // Bulk load: the table's indexes are dropped and made again afterwards from their own CREATE INDEX text, so
    // SQLite sorts each once instead of inserting a million keys at random places in ten B-trees.
    var indexes = Indexes(connection, table.Name);
    foreach (var (name, _) in indexes) Exec(connection, $"DROP INDEX \"{name}\"");

    using var insert = connection.CreateCommand();
    insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                         $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
    var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();

    var people = new People(seed: 20251127);
    var samples = new List<string>();
    var sampleEvery = Math.Max(1, count / 200);
    var now = DateTimeOffset.UtcNow;
    var watch = Stopwatch.StartNew();
    for (var start = 0; start < count; start += batch)
    {
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        for (var i = start; i < Math.Min(count, start + batch); i++)
        {
            var row = people.User(poolId, i, now);
            if (i % sampleEvery == 0 && samples.Count < 200) samples.Add(row.Username);
            for (var p = 0; p < properties.Count; p++)
            {
                var value = properties[p].PropertyInfo!.GetValue(row);
                var converter = properties[p].GetTypeMapping().Converter;
                if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
                parameters[p].Value = value ?? DBNull.Value;
            }
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        if ((start / batch) % 20 == 19) Console.Error.WriteLine($"  seeded {start + batch:N0} users, {(start + batch) / watch.Elapsed.TotalSeconds:N0}/s");
    }
    var inserted = watch.Elapsed.TotalSeconds;
    foreach (var (_, sql) in indexes) Exec(connection, sql);
    var seconds = watch.Elapsed.TotalSeconds;
    // No ANALYZE: Portal never runs it, so the planner sees the store as a pool grown through the API leaves it.
    Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    Console.WriteLine(JsonSerializer.Serialize(new { users = count, seconds, insertSeconds = inserted, indexSeconds = seconds - inserted, rowsPerSecond = count / seconds, samples }));
}

static void SeedIdentities(string dataFolder, string identityPoolId, string provider, int count, int batch)
{
    var options = new DbContextOptionsBuilder<SqlitePortalDb>().UseSqlite(StorageSetup.SqliteConnectionString(dataFolder)).Options;
    using var db = new SqlitePortalDb(options);
    using var connection = new SqliteConnection(db.Database.GetConnectionString());
    connection.Open();
    if (Exec(connection, $"SELECT COUNT(*) FROM IdentityPools WHERE Id = '{identityPoolId.Replace("'", "''")}'")?.Equals(1L) != true)
        throw new InvalidOperationException($"identity pool {identityPoolId} not found in {dataFolder}");
    Exec(connection, "PRAGMA synchronous = OFF");
    Exec(connection, "PRAGMA cache_size = -262144");
    var region = identityPoolId[..identityPoolId.IndexOf(':')];
    var random = new Random(20261204);
    var now = DateTimeOffset.UtcNow;
    var ids = new string[count];
    for (var i = 0; i < count; i++) ids[i] = $"{region}:{NextGuid(random)}";
    var watch = Stopwatch.StartNew();
    var identities = BulkInsert(connection, db, ids.Select(id =>
    {
        var created = now.AddSeconds(-random.Next(365 * 24 * 3600));
        return new IdentityRow { Id = id, IdentityPoolId = identityPoolId, CreatedAt = created, LastModifiedAt = created };
    }), batch, "identities");
    var logins = BulkInsert(connection, db, ids.Select(id => new IdentityLoginRow
    {
        IdentityPoolId = identityPoolId, Provider = provider, LoginId = NextGuid(random).ToString(), IdentityId = id, LinkedAt = now,
    }), batch, "logins");
    Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    Console.WriteLine(JsonSerializer.Serialize(new { identities = count, seconds = watch.Elapsed.TotalSeconds, identityRows = identities, loginRows = logins }));
}

static Guid NextGuid(Random random)
{
    var bytes = new byte[16];
    random.NextBytes(bytes);
    return new Guid(bytes);
}

/// <summary>Rows of an entity inserted with raw prepared INSERTs (columns and value conversions from Portal's EF model),
/// the table's indexes dropped first and made again from their own CREATE INDEX text. Answers the seconds it took.</summary>
static double BulkInsert<T>(SqliteConnection connection, DbContext db, IEnumerable<T> rows, int batch, string what)
{
    var entity = db.Model.FindEntityType(typeof(T))!;
    var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
    var properties = entity.GetProperties().ToList();
    var columns = properties.Select(p => p.GetColumnName(table)!).ToList();
    var indexes = Indexes(connection, table.Name);
    foreach (var (name, _) in indexes) Exec(connection, $"DROP INDEX \"{name}\"");
    using var insert = connection.CreateCommand();
    insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                         $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
    var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
    var watch = Stopwatch.StartNew();
    var count = 0;
    SqliteTransaction? transaction = null;
    foreach (var row in rows)
    {
        if (count % batch == 0)
        {
            transaction?.Commit();
            transaction?.Dispose();
            transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            if (count > 0 && count % (batch * 20) == 0) Console.Error.WriteLine($"  seeded {count:N0} {what}, {count / watch.Elapsed.TotalSeconds:N0}/s");
        }
        for (var p = 0; p < properties.Count; p++)
        {
            var value = properties[p].PropertyInfo!.GetValue(row);
            var converter = properties[p].GetTypeMapping().Converter;
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            parameters[p].Value = value ?? DBNull.Value;
        }
        insert.ExecuteNonQuery();
        count++;
    }
    transaction?.Commit();
    transaction?.Dispose();
    foreach (var (_, sql) in indexes) Exec(connection, sql);
    return watch.Elapsed.TotalSeconds;
}

static void VerifyCost(int count)
{
    using var rsa = System.Security.Cryptography.RSA.Create(2048);
    // An ID token's signing input is about 1 KB (header and claims, base64url).
    var input = System.Text.Encoding.ASCII.GetBytes(new string('x', 1024));
    var signature = rsa.SignData(input, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
    for (var i = 0; i < 50; i++) rsa.VerifyData(input, signature, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
        if (!rsa.VerifyData(input, signature, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1))
            throw new InvalidOperationException("signature does not verify");
    var verifyCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
    var verifyWall = watch.Elapsed.TotalMilliseconds / count;
    // What making the RSA object costs: from the private parameters (as a stored signing key is loaded) or the public ones.
    var full = rsa.ExportParameters(includePrivateParameters: true);
    var publicOnly = new System.Security.Cryptography.RSAParameters { Modulus = full.Modulus, Exponent = full.Exponent };
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        count, wallMs = verifyWall, cpuMs = verifyCpu, importPrivateCpuMs = Cpu(() => System.Security.Cryptography.RSA.Create(full).Dispose()),
        importPublicCpuMs = Cpu(() => System.Security.Cryptography.RSA.Create(publicOnly).Dispose()),
    }));

    double Cpu(Action run)
    {
        for (var i = 0; i < 20; i++) run();
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < 200; i++) run();
        return (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / 200;
    }
}

static void PeopleJson(int count)
{
    var people = new People(seed: 20251127);
    var now = DateTimeOffset.UtcNow;
    var list = Enumerable.Range(0, count).Select(i => people.User("local", i, now)).Select(u => new
    {
        username = u.Username, email = u.Email, name = u.Name, givenName = u.GivenName, familyName = u.FamilyName, sub = u.Sub,
        createdAt = u.CreatedAt.ToString("O"),
    });
    Console.WriteLine(JsonSerializer.Serialize(list));
}

static List<(string Name, string Sql)> Indexes(SqliteConnection connection, string table)
{
    using var read = connection.CreateCommand();
    read.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL";
    read.Parameters.AddWithValue("$table", table);
    using var reader = read.ExecuteReader();
    var indexes = new List<(string, string)>();
    while (reader.Read()) indexes.Add((reader.GetString(0), reader.GetString(1)));
    return indexes;
}

static object? Exec(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    return command.ExecuteScalar();
}

static void HashCost(int count)
{
    var hasher = new PasswordHasher();
    hasher.Verify(hasher.Hash("warm-up Passw0rd!").Result, "warm-up Passw0rd!").Wait();
    Srp.CreateVerifier("us-east-1_benchmark", "warm-up", "warm-up Passw0rd!");
    var passwords = Enumerable.Range(0, count).Select(i => $"Bench-Passw0rd-{i}!").ToArray();
    var hashes = new string[count];
    var hash = Time(i => hashes[i] = hasher.Hash(passwords[i]).Result);
    var verify = Time(i =>
    {
        if (!hasher.Verify(hashes[i], passwords[i]).Result) throw new InvalidOperationException("hash does not verify");
    });
    var srp = Time(i => Srp.CreateVerifier("us-east-1_benchmark", $"user{i}", passwords[i]));
    Console.WriteLine(JsonSerializer.Serialize(new { count, hash, verify, srp, processors = Environment.ProcessorCount }));

    // Median wall time of one call, and the process's CPU time per call (the figure that holds on a busy machine).
    object Time(Action<int> run)
    {
        var wall = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            run(i);
            wall.Add(watch.Elapsed.TotalMilliseconds);
        }
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
        return new { wallMs = wall.Order().ElementAt(count / 2), cpuMs };
    }
}

/// <summary>Deterministic, realistic and unique people: common first and last names, a running number where
/// two would collide, a handful of mail domains.</summary>
sealed class People(int seed)
{
    static readonly string[] Given =
    [
        "Aaron", "Abel", "Abigail", "Abraham", "Ada", "Adam", "Adrian", "Agnes", "Aisha", "Alan", "Albert", "Alice",
        "Amir", "Amy", "Ana", "Andrea", "Anna", "Anton", "Ben", "Bianca", "Boris", "Carla", "Carlos", "Chen",
        "Chloe", "Clara", "Daniel", "David", "Diego", "Elena", "Eliza", "Emma", "Eric", "Eva", "Fatima", "Felix",
        "Fiona", "Gabriel", "Grace", "Hana", "Hugo", "Ian", "Ines", "Ivan", "Jack", "James", "Jana", "Javier",
        "Julia", "Kai", "Karen", "Laura", "Leo", "Lena", "Liam", "Lucas", "Lucy", "Maria", "Marta", "Max",
        "Mei", "Mia", "Mohammed", "Nadia", "Nina", "Noah", "Olga", "Omar", "Oscar", "Paula", "Pedro", "Priya",
        "Quentin", "Rachel", "Rafael", "Rosa", "Ryan", "Sara", "Sofia", "Tariq", "Thomas", "Tina", "Uma", "Victor",
        "Wei", "William", "Xavier", "Yara", "Yusuf", "Zoe",
    ];
    static readonly string[] Family =
    [
        "Abbott", "Adams", "Ahmed", "Alvarez", "Andersen", "Bauer", "Becker", "Brown", "Castro", "Chen", "Clark",
        "Costa", "Davis", "Dubois", "Evans", "Fischer", "Garcia", "Gomez", "Green", "Hall", "Hansen", "Hoffmann",
        "Ito", "Jackson", "Jansen", "Johnson", "Kim", "Klein", "Kowalski", "Lee", "Lopez", "Martin", "Meyer",
        "Miller", "Moreau", "Muller", "Nakamura", "Nguyen", "Novak", "Olsen", "Patel", "Perez", "Petrov", "Rossi",
        "Santos", "Schmidt", "Silva", "Singh", "Smith", "Suzuki", "Taylor", "Thompson", "Wagner", "Walker", "Wang",
        "Weber", "White", "Wilson", "Yamamoto", "Zhang",
    ];
    static readonly string[] Domains = ["example.com", "example.org", "mail.example.net", "corp.example.com"];

    readonly Random random = new(seed);

    public UserRow User(string poolId, int i, DateTimeOffset now)
    {
        var given = Given[random.Next(Given.Length)];
        var family = Family[random.Next(Family.Length)];
        var username = $"{given}.{family}.{i}".ToLowerInvariant();
        var email = $"{given}.{family}{i}@{Domains[random.Next(Domains.Length)]}".ToLowerInvariant();
        var created = now.AddSeconds(-random.Next(2 * 365 * 24 * 3600));
        var sub = Guid.NewGuid().ToString();
        var attributes = new Dictionary<string, string>
        {
            ["email"] = email, ["email_verified"] = "true", ["name"] = $"{given} {family}", ["given_name"] = given,
            ["family_name"] = family, ["sub"] = sub,
        };
        return new UserRow
        {
            Sub = sub, UserPoolId = poolId, Username = username, UsernameKey = username, Status = "CONFIRMED",
            Enabled = true, CreatedAt = created, LastModifiedAt = created, Email = email, EmailVerified = true,
            Name = attributes["name"], GivenName = given, FamilyName = family, Attributes = JsonSerializer.Serialize(attributes),
        };
    }
}
