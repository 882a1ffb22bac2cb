// The floor under Portal's figures of issue #20 (see ../README.md, "The floor"): what the stack costs with nothing of
// Portal in it. Idle: ASP.NET Core, Blazor Server with MudBlazor (one interactive page, /floor) and EF Core on SQLite (a pooled
// context, the schema made and one query at the start). POST / with X-Amz-Target …InitiateAuth: a password sign-in's
// fixed work outside the hash, as directly as .NET allows (Microsoft.Data.Sqlite, no EF, no middleware but routing):
// read the user; count the attempt in its own commit (the lockout's count, durable before the secret is checked); take it
// back and store a refresh token and an auth event in a second commit; sign an ID and an access token with RS256.
// Nothing is validated and nothing else is done: a sign-in cannot cost less than this here.
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using Portal.Bench.Floor.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
var folder = builder.Configuration["DataFolder"] ?? Path.Combine(Path.GetTempPath(), $"floor-{Environment.ProcessId}");
Directory.CreateDirectory(folder);
builder.Services.AddDbContextPool<FloorDb>(o => o.UseSqlite($"Data Source={Path.Combine(folder, "ef.db")}"));
var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<FloorDb>();
    await db.Database.EnsureCreatedAsync();
    if (!await db.Users.AnyAsync())
    {
        db.Users.Add(new FloorUser { Name = "floor" });
        await db.SaveChangesAsync();
    }
}

var signin = $"Data Source={Path.Combine(folder, "signin.db")};Pooling=True";
await using (var setup = new SqliteConnection(signin))
{
    await setup.OpenAsync();
    await using var create = setup.CreateCommand();
    create.CommandText = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS Users(Sub TEXT PRIMARY KEY, PoolId TEXT NOT NULL, UsernameKey TEXT NOT NULL, FailedSignIns INTEGER NOT NULL, Attributes TEXT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS IX_Users ON Users(PoolId, UsernameKey);
        CREATE TABLE IF NOT EXISTS RefreshTokens(Id TEXT PRIMARY KEY, Sub TEXT NOT NULL, ClientId TEXT NOT NULL, ExpiresAt TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS AuthEvents(Id TEXT PRIMARY KEY, Sub TEXT NOT NULL, Kind TEXT NOT NULL, At TEXT NOT NULL);
        """;
    await create.ExecuteNonQueryAsync();
    for (var i = 0; i < 64; i++)
    {
        await using var insert = setup.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO Users VALUES ($sub, 'floor', $key, 0, $attributes)";
        insert.Parameters.AddWithValue("$sub", Guid.NewGuid().ToString());
        insert.Parameters.AddWithValue("$key", $"user{i}");
        insert.Parameters.AddWithValue("$attributes", $$"""{"email":"user{{i}}@example.com","email_verified":"true"}""");
        await insert.ExecuteNonQueryAsync();
    }
}

using var key = RSA.Create(2048);
app.MapGet("/healthz", async (FloorDb db, CancellationToken ct) => await db.Users.AnyAsync(ct) ? "ok" : "empty");
app.MapPost("/", async (HttpContext http) =>
{
    using var request = await JsonDocument.ParseAsync(http.Request.Body);
    var username = request.RootElement.GetProperty("AuthParameters").GetProperty("USERNAME").GetString();
    var clientId = request.RootElement.GetProperty("ClientId").GetString() ?? "";
    await using var connection = new SqliteConnection(signin);
    await connection.OpenAsync();
    string sub, attributes;
    await using (var read = connection.CreateCommand())
    {
        read.CommandText = "SELECT Sub, Attributes FROM Users WHERE PoolId = 'floor' AND UsernameKey = $key";
        read.Parameters.AddWithValue("$key", username);
        await using var row = await read.ExecuteReaderAsync();
        if (!await row.ReadAsync()) return Results.Json(new Dictionary<string, string> { ["__type"] = "UserNotFoundException" }, statusCode: 400);
        (sub, attributes) = (row.GetString(0), row.GetString(1));
    }
    await using (var count = connection.CreateCommand())
    {
        count.CommandText = "UPDATE Users SET FailedSignIns = FailedSignIns + 1 WHERE Sub = $sub";
        count.Parameters.AddWithValue("$sub", sub);
        await count.ExecuteNonQueryAsync();
    }
    var now = DateTimeOffset.UtcNow;
    await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
    {
        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = """
            UPDATE Users SET FailedSignIns = FailedSignIns - 1 WHERE Sub = $sub;
            INSERT INTO RefreshTokens VALUES ($token, $sub, $client, $expires);
            INSERT INTO AuthEvents VALUES ($event, $sub, 'SignIn', $at);
            """;
        write.Parameters.AddWithValue("$sub", sub);
        write.Parameters.AddWithValue("$token", Guid.NewGuid().ToString());
        write.Parameters.AddWithValue("$client", clientId);
        write.Parameters.AddWithValue("$expires", now.AddDays(30).ToString("O"));
        write.Parameters.AddWithValue("$event", Guid.NewGuid().ToString());
        write.Parameters.AddWithValue("$at", now.ToString("O"));
        await write.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
    var seconds = now.ToUnixTimeSeconds();
    var claims = JsonSerializer.Deserialize<Dictionary<string, object>>(attributes)!;
    claims["sub"] = sub; claims["aud"] = clientId; claims["iss"] = "http://127.0.0.1/floor"; claims["token_use"] = "id";
    claims["auth_time"] = seconds; claims["iat"] = seconds; claims["exp"] = seconds + 3600; claims["jti"] = Guid.NewGuid().ToString();
    var id = Jwt(claims);
    var access = Jwt(new Dictionary<string, object>
    {
        ["sub"] = sub, ["client_id"] = clientId, ["iss"] = "http://127.0.0.1/floor", ["token_use"] = "access", ["scope"] = "aws.cognito.signin.user.admin",
        ["auth_time"] = seconds, ["iat"] = seconds, ["exp"] = seconds + 3600, ["jti"] = Guid.NewGuid().ToString(), ["username"] = username ?? "",
    });
    return Results.Json(new
    {
        AuthenticationResult = new { IdToken = id, AccessToken = access, RefreshToken = Guid.NewGuid().ToString(), ExpiresIn = 3600, TokenType = "Bearer" },
        ChallengeParameters = new Dictionary<string, string>(),
    }, new JsonSerializerOptions(), "application/x-amz-json-1.1");
});
// The cryptography a minted test cannot avoid (issue #21): the cloned pool's own RSA-2048 key (one per run of the suite)
// and the two RS256 signatures of its tokens, timed here one at a time with the same OpenSSL calls Portal makes.
app.MapGet("/crypto", (int? keys, int? signatures) =>
{
    double Cpu() => Environment.CpuUsage.TotalTime.TotalMilliseconds;
    var start = Cpu();
    for (var i = 0; i < (keys ?? 20); i++)
    {
        using var fresh = RSA.Create(2048);
        fresh.ExportParameters(includePrivateParameters: false);
    }
    var keygen = (Cpu() - start) / (keys ?? 20);
    var data = new byte[900];
    start = Cpu();
    for (var i = 0; i < (signatures ?? 2000); i++) key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    var sign = (Cpu() - start) / (signatures ?? 2000);
    return Results.Json(new { keygenMs = keygen, signMs = sign });
});
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
// As Portal does (IdleMemory.CollectAfterStart): one full, compacting collection 3 s after the start.
app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
{
    await Task.Delay(TimeSpan.FromSeconds(3));
    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}));
await app.RunAsync();

string Jwt(Dictionary<string, object> claims)
{
    var header = Base64Url("""{"kid":"floor","alg":"RS256"}"""u8);
    var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
    var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    return header + "." + payload + "." + Base64Url(signature);
}

static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

sealed class FloorUser
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
}

sealed class FloorDb(DbContextOptions<FloorDb> options) : DbContext(options)
{
    public DbSet<FloorUser> Users => Set<FloorUser>();
}
