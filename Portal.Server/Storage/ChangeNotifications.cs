using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Server.Auth;
using Portal.Server.IdentityPools;
using Portal.Server.Sts;

namespace Portal.Server.Storage;

/// <summary>
/// Cross-instance invalidation of the settings an instance caches in memory (identity pools, IAM roles with their parsed
/// trust policies and their S3 policy sets, user-pool public keys for identity-pool logins, user pools' risk configurations). A write that changes a cached
/// kind names it (<see cref="PortalDb"/> notes tracked rows of these kinds, and the operations' <c>Changed</c> calls name
/// rows written in bulk); the names are published with the write:
/// <list type="bullet">
/// <item>PostgreSQL: <c>pg_notify('portal_changes', …)</c> inside the write's transaction, so it is delivered exactly when
/// the change commits (and never when it rolls back). Every instance LISTENs on a dedicated connection
/// (<see cref="ChangeListener"/>, reconnecting with backoff) and forgets the named entries; after a reconnect it forgets
/// everything, since notifications sent meanwhile are lost.</item>
/// <item>SQLite (one machine, possibly several processes): a change counter (the <c>Settings</c> row
/// <c>cache.generation</c>) incremented in the same transaction; every process checks it every
/// <see cref="SqlitePollInterval"/> and forgets everything when it moved. The check is <c>PRAGMA data_version</c> on a
/// connection of its own (it moves only when a commit happened elsewhere), and the counter is read only then; configuration
/// changes are rare, so forgetting all is cheap.</item>
/// </list>
/// The caches' own lifetime (<see cref="ConfigCache{T}.Ttl"/>) stays as the bound if a notification is ever lost.
/// User-pool settings and app clients are cached for the hot path (<see cref="UserPools.PoolConfigCache"/>): a modified or
/// deleted pool or client row names itself, and the instance that wrote it forgets it at once and again when the write
/// commits (<see cref="ForgetHere"/>). A retired or deleted signing key names its pool's key (<c>user-pool-key</c>,
/// <c>{pool}/{kid}</c>): each instance forgets the pool's active key it signs with (<see cref="SigningKeyCache.Active"/>).
/// Branding and trigger settings are not cached: every request reads them.
/// </summary>
public sealed class ChangeNotifications(ConfigCache<IdentityPoolRow> identityPools, ConfigCache<TrustedRole> roles,
    ConfigCache<SigningKey> userPoolKeys, Gateway.S3.S3Policies s3Policies, HostedUi.CustomDomainHosts customDomains,
    Testing.PoolClocks testingClocks, ConfigCache<ThreatProtection.PoolRiskConfigurations> riskConfigurations,
    UserPools.PoolConfigCache poolConfig, SigningKeyCache signingKeys)
{
    public const string Channel = "portal_changes";
    public const string GenerationKey = "cache.generation";
    public static readonly TimeSpan SqlitePollInterval = TimeSpan.FromMilliseconds(250);

    public const string IdentityPool = "identity-pool";
    public const string Role = "role";
    public const string RolePolicies = "role-policies";
    public const string UserPoolKey = "user-pool-key";
    public const string UserPool = "user-pool";
    /// <summary>A pool domain was created, changed or deleted: the host filter's custom domains are loaded again.</summary>
    public const string CustomDomain = "custom-domain";
    public const string TestingClock = "testing-clock";
    /// <summary>A pool's or app client's threat-protection settings (keyed by the pool).</summary>
    public const string RiskConfiguration = "risk-configuration";
    /// <summary>An app client's row changed or went (its secrets, flows, callbacks...): key, the client id.</summary>
    public const string AppClient = "app-client";
    /// <summary>A user pool's row changed (its settings): key, the pool id. Its deletion is <see cref="UserPool"/>.</summary>
    public const string UserPoolSettings = "user-pool-settings";

    long received;

    /// <summary>How many notifications (or SQLite generation changes) this instance has acted on.</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>Forgets the named entry (a notification) on this instance.</summary>
    public void Forget(string kind, string key)
    {
        Interlocked.Increment(ref received);
        ForgetEntry(kind, key);
    }

    void ForgetEntry(string kind, string key)
    {
        switch (kind)
        {
            case IdentityPool: identityPools.Forget(key); break;
            case Role: roles.Forget(key); s3Policies.Clear(); break;
            case RolePolicies: s3Policies.Clear(); break;
            case UserPoolKey: userPoolKeys.Forget(key); signingKeys.Active.Forget(key.Split('/')[0]); break;
            case UserPool: userPoolKeys.Clear(); signingKeys.Active.Clear(); customDomains.Changed(); poolConfig.Clear(); break;
            case CustomDomain: customDomains.Changed(); poolConfig.Domains.Clear(); break;
            case TestingClock: testingClocks.Forget(key); break;
            case RiskConfiguration: riskConfigurations.Forget(key); break;
            case AppClient: poolConfig.Clients.Forget(key); break;
            case UserPoolSettings: poolConfig.Pools.Forget(key); break;
            default: ForgetAll(); break;
        }
    }

    /// <summary>Forgets every cached setting (a SQLite generation change, or a LISTEN connection re-established).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref received);
        identityPools.Clear();
        roles.Clear();
        userPoolKeys.Clear();
        signingKeys.Active.Clear();
        s3Policies.Clear();
        customDomains.Changed();
        testingClocks.Clear();
        riskConfigurations.Clear();
        poolConfig.Clear();
    }

    /// <summary>The instance that saves a change forgets the named pools, clients, signing keys and role policies now and
    /// again once the operation commits (a request reading between the two would otherwise keep the old row); other
    /// instances hear of it from the notification. The other kinds' owners forget their own entries.</summary>
    internal static async Task ForgetHere(PortalDb db, IReadOnlyCollection<(string Kind, string Key)> names, CancellationToken ct)
    {
        var mine = names.Where(n => n.Kind is AppClient or UserPoolSettings or UserPool or CustomDomain or UserPoolKey or RolePolicies).ToList();
        if (mine.Count == 0) return;
        var services = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        // A host with the storage alone (tools, storage tests) caches nothing, and cannot build the caches' owner.
        if (services?.GetService<UserPools.PoolConfigCache>() is null || services.GetService<ChangeNotifications>() is not { } changes) return;
        foreach (var (kind, key) in mine) changes.ForgetEntry(kind, key);
        await db.Work.AfterCommit(_ =>
        {
            foreach (var (kind, key) in mine) changes.ForgetEntry(kind, key);
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>The names of cached kinds among the tracked rows about to be saved (changed or deleted; new rows are read
    /// when first asked for, and only hits are cached).</summary>
    internal static void Collect(PortalDb db, ISet<(string Kind, string Key)> names)
    {
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted)) continue;
            switch (entry.Entity)
            {
                case IdentityPoolRow p: names.Add((IdentityPool, p.Id)); break;
                case IamRoleRow r: names.Add((Role, r.Arn)); break;
                case IamRolePolicyRow or IamRolePolicyAttachmentRow or IamManagedPolicyRow or IamPolicyVersionRow: names.Add((RolePolicies, "")); break;
                case SigningKeyRow k: names.Add((UserPoolKey, $"{k.UserPoolId}/{k.Kid}")); break;
                case UserPoolRow u when entry.State == EntityState.Deleted: names.Add((UserPool, u.Id)); break;
                case UserPoolRow u: names.Add((UserPoolSettings, u.Id)); break;
                case AppClientRow c: names.Add((AppClient, c.ClientId)); break;
                case UserPoolDomainRow: names.Add((CustomDomain, "")); break;
                case RiskConfigurationRow c: names.Add((RiskConfiguration, c.UserPoolId)); break;
            }
        }
        foreach (var entry in db.ChangeTracker.Entries())
        {
            // A policy attached or written for the first time changes what a role allows.
            if (entry.State == EntityState.Added && entry.Entity is IamRolePolicyRow or IamRolePolicyAttachmentRow or IamPolicyVersionRow)
                names.Add((RolePolicies, ""));
            if (entry.State == EntityState.Added && entry.Entity is UserPoolDomainRow) names.Add((CustomDomain, ""));
            // A pool's "no configuration" is cached too: a first configuration is a change.
            if (entry.State == EntityState.Added && entry.Entity is RiskConfigurationRow added) names.Add((RiskConfiguration, added.UserPoolId));
        }
    }

    /// <summary>The statements that publish the names, to run in the context's current transaction (or at once, after an
    /// autocommitted save).</summary>
    internal static List<(string Sql, object[] Parameters)> Statements(PortalDb db, IReadOnlyCollection<(string Kind, string Key)> names)
    {
        var statements = new List<(string Sql, object[] Parameters)>();
        if (names.Count == 0) return statements;
        if (!db.Database.IsNpgsql())
        {
            statements.Add(("""
                INSERT INTO "Settings" ("Key", "Value") VALUES ({0}, '1')
                ON CONFLICT ("Key") DO UPDATE SET "Value" = CAST(CAST("Settings"."Value" AS INTEGER) + 1 AS TEXT)
                """, [GenerationKey]));
            return statements;
        }
        // NOTIFY payloads are limited to 8,000 bytes: long lists go in several notifications.
        var batch = new List<string>();
        var length = 0;
        foreach (var (kind, key) in names)
        {
            var line = kind + "\t" + key;
            if (length + line.Length > 3000 && batch.Count > 0)
            {
                statements.Add(("SELECT pg_notify({0}, {1})", [Channel, string.Join('\n', batch)]));
                (batch, length) = ([], 0);
            }
            batch.Add(line);
            length += line.Length + 1;
        }
        statements.Add(("SELECT pg_notify({0}, {1})", [Channel, string.Join('\n', batch)]));
        return statements;
    }

    /// <summary>Applies one notification's payload.</summary>
    public void Apply(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        foreach (var line in payload.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0) ForgetAll();
            else Forget(line[..tab], line[(tab + 1)..]);
        }
    }
}

/// <summary>Receives other instances' change notifications: LISTEN on a dedicated PostgreSQL connection (reconnecting with
/// backoff from 100 ms to 10 s), or the SQLite change counter read every <see cref="ChangeNotifications.SqlitePollInterval"/>.</summary>
public sealed class ChangeListener(ChangeNotifications changes, CommitWatch commits, IOptions<StorageOptions> storage,
    IServiceScopeFactory scopes, TimeProvider clock, ILogger<ChangeListener> log) : BackgroundService
{
    readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN (or the first read of the SQLite counter) is done.</summary>
    public Task Listening => listening.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        storage.Value.IsPostgres ? Listen(stoppingToken) : Poll(stoppingToken);

    async Task Listen(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var connected = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                string connectionString;
                await using (var scope = scopes.CreateAsyncScope())
                    connectionString = scope.ServiceProvider.GetRequiredService<PortalDb>().Database.GetConnectionString()!;
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Enlist = false, KeepAlive = 30 };
                await using var connection = new NpgsqlConnection(builder.ToString());
                connection.Notification += (_, e) => changes.Apply(e.Payload);
                await connection.OpenAsync(ct);
                await using (var command = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
                    await command.ExecuteNonQueryAsync(ct);
                // Whatever changed while this instance was not listening is unknown: forget it all.
                if (connected) changes.ForgetAll();
                connected = true;
                backoff = TimeSpan.FromMilliseconds(100);
                listening.TrySetResult();
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning("Listening for other instances' changes failed ({Message}); trying again in {Backoff} ms", e.Message, (int)backoff.TotalMilliseconds);
                changes.ForgetAll();
                try
                {
                    await Task.Delay(backoff, clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>SQLite: one dedicated connection asks <c>PRAGMA data_version</c> every tick, which moves only when another
    /// connection (of this process or another) committed; only then is the change counter read. An idle database costs a
    /// pragma on an open connection per tick, not a context, a pooled connection and a table read. The connection never
    /// writes (a commit on it would not move its own value), and each read is published to <see cref="CommitWatch"/> for
    /// the background workers.</summary>
    async Task Poll(CancellationToken ct)
    {
        string? seen = null;
        long? version = null;
        long opened = 0;
        Microsoft.Data.Sqlite.SqliteConnection? connection = null;
        using var timer = new PeriodicTimer(ChangeNotifications.SqlitePollInterval, clock);
        try
        {
            do
            {
                try
                {
                    if (connection is null)
                    {
                        string connectionString;
                        await using (var scope = scopes.CreateAsyncScope())
                            connectionString = scope.ServiceProvider.GetRequiredService<PortalDb>().Database.GetConnectionString()!;
                        connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
                        await connection.OpenAsync(ct);
                        opened++;
                        version = null;
                    }
                    // A new connection counts from its own start: its values must never equal an old connection's.
                    var now = (opened << 40) | await DataVersion(connection, ct);
                    if (now == version)
                    {
                        commits.Published(now);
                        continue;
                    }
                    var generation = await Generation(connection, ct);
                    if (seen is not null && generation != seen) changes.ForgetAll();
                    (seen, version) = (generation, now);
                    commits.Published(now);
                    listening.TrySetResult();
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or vanishing file: the next tick tries again on a new connection.
                    log.LogDebug("Reading the change counter failed ({Message})", e.Message);
                    commits.Stopped();
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
            while (await WaitTick(timer, ct));
        }
        finally
        {
            commits.Stopped();
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    static async Task<long> DataVersion(Microsoft.Data.Sqlite.SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task<string> Generation(Microsoft.Data.Sqlite.SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Value" FROM "Settings" WHERE "Key" = $key""";
        command.Parameters.AddWithValue("$key", ChangeNotifications.GenerationKey);
        return await command.ExecuteScalarAsync(ct) as string ?? "0";
    }

    static async Task<bool> WaitTick(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
