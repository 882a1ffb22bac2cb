using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Throttling;

/// <summary>
/// Request-rate limits. Per source address in memory (a flood from one address is turned away before it costs a database
/// round trip); per user pool and quota category in the database, in one-second windows every instance counts into, so
/// the pool's quota holds however many instances share the database. Answers <see cref="TooManyRequestsException"/>.
/// <para>
/// An instance takes the shared windows' permits in blocks (<see cref="BlockOf"/>: a tenth of the quota, 1 to 50) with one
/// atomic upsert and spends them from memory, instead of writing the counter on every request (a write transaction,
/// about 4 ms of CPU on SQLite, was most of an identity-pool call's cost). The database hands out no more than the quota
/// per window whatever the number of instances, so a quota is never exceeded; an instance's permits unspent when the
/// second ends are lost, so with several instances busy on one counter up to (instances − 1) × block requests of a
/// window may be refused below the quota. With one instance, or a quota under 20, the count is exact.
/// </para>
/// </summary>
public sealed class RateLimits : IDisposable
{
    public const string Message = "Too many requests";
    const int MaxRememberedNames = 10_000;

    readonly IOptionsMonitor<RateLimitOptions> options;
    readonly IServiceScopeFactory scopes;
    readonly TimeProvider clock;
    readonly PartitionedRateLimiter<string> perAddress;
    // Which pool an app client or pool id names: immutable facts, remembered so the hot path reads the database once per name.
    readonly ConcurrentDictionary<string, string?> poolOf = new(StringComparer.Ordinal);
    // The permits of the current window this instance holds, per counter key.
    readonly ConcurrentDictionary<string, Lease> leases = new(StringComparer.Ordinal);

    sealed class Lease
    {
        public long Window = long.MinValue;
        public int Left;
        public bool Exhausted;   // the database has handed out the window's whole quota
    }

    public RateLimits(IOptionsMonitor<RateLimitOptions> options, IServiceScopeFactory scopes, TimeProvider clock)
    {
        (this.options, this.scopes, this.clock) = (options, scopes, clock);
        perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.CurrentValue.PerAddressPerSecond), Window = TimeSpan.FromSeconds(1), QueueLimit = 0,
            }));
    }

    bool Enabled => options.CurrentValue.Enabled;

    /// <summary>Counts a request from this address; throws when the address is over its limit.</summary>
    public void CheckAddress(IPAddress? address)
    {
        if (!Enabled || options.CurrentValue.PerAddressPerSecond <= 0) return;
        using var lease = perAddress.AttemptAcquire(address?.ToString() ?? "unknown");
        if (!lease.IsAcquired) throw new TooManyRequestsException(Message);
    }

    /// <summary>Counts a request of a category against a pool (shared by instances); throws over the pool's quota.</summary>
    public async Task CheckPool(string? userPoolId, string? category, CancellationToken ct)
    {
        if (!Enabled || userPoolId is null || category is null) return;
        var quota = options.CurrentValue.QuotaOf(category);
        if (quota <= 0) return;
        if (!await Take($"pool:{userPoolId}:{category}", quota, ct)) throw new TooManyRequestsException(Message);
    }

    /// <summary>Counts a request of an identity-pool operation against the account (every identity pool, shared by
    /// instances); throws over the operation's quota.</summary>
    public async Task CheckAccount(string category, CancellationToken ct)
    {
        if (!Enabled) return;
        var quota = options.CurrentValue.QuotaOf(category);
        if (quota <= 0) return;
        if (!await Take($"account:{category}", quota, ct)) throw new TooManyRequestsException(Message);
    }

    /// <summary>How many permits an instance takes from a shared window at once.</summary>
    public static int BlockOf(int quota) => Math.Clamp(quota / 10, 1, 50);

    /// <summary>One permit of the counter's current one-second window: from this instance's block, else a new block taken
    /// from the shared counter (the database grants what is left of the quota, up to a block).</summary>
    async Task<bool> Take(string key, int quota, CancellationToken ct)
    {
        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        if (leases.Count >= MaxRememberedNames) leases.Clear();
        var lease = leases.GetOrAdd(key, _ => new Lease());
        lock (lease)
        {
            if (lease.Window == second)
            {
                if (lease.Left > 0)
                {
                    lease.Left--;
                    return true;
                }
                if (lease.Exhausted) return false;
            }
        }
        var block = BlockOf(quota);
        int total;
        await using (var scope = scopes.CreateAsyncScope())
            total = await SharedCounters.Increment(scope.ServiceProvider.GetRequiredService<PortalDb>(), key, second, block, ct);
        var granted = Math.Clamp(quota - (total - block), 0, block);
        lock (lease)
        {
            if (lease.Window != second)
            {
                if (lease.Window > second) return granted > 0;   // the clock moved on meanwhile: use the permit, keep the newer lease
                (lease.Window, lease.Left, lease.Exhausted) = (second, 0, false);
            }
            lease.Left += granted;
            if (granted < block) lease.Exhausted = true;
            if (lease.Left == 0) return false;
            lease.Left--;
            return true;
        }
    }

    /// <summary>The API's check of one request: its address, then its pool's quota for the operation's category (user
    /// pools) or the account's quota for the operation (identity pools).</summary>
    public async Task CheckRequest(HttpContext http, object request, CancellationToken ct)
    {
        if (!Enabled) return;
        CheckAddress(http.Connection.RemoteIpAddress);
        var type = request.GetType();
        if (Operations.ServiceOf(type) == Services.IdentityPools)
        {
            if (QuotaCategories.OfIdentityPools(Operations.NameOf(type)) is { } quota) await CheckAccount(quota, ct);
            return;
        }
        var category = QuotaCategories.Of(Operations.NameOf(type));
        if (category is null) return;
        await CheckPool(await PoolOf(request, ct), category, ct);
    }

    /// <summary>The hosted UI's check of a form post on a pool's domain: the address, then the pool's quota.</summary>
    public async Task CheckDomain(HttpContext http, string domain, string category, CancellationToken ct)
    {
        if (!Enabled) return;
        CheckAddress(http.Connection.RemoteIpAddress);
        if (domain.Length is 0 or > 63) return;
        await CheckPool(await Remembered("domain:" + domain, db => db.Domains.Where(d => d.Domain == domain).Select(d => d.UserPoolId), ct), category, ct);
    }

    /// <summary>The existing pool a request names (UserPoolId, the pool of its ClientId, or the issuer of its access token),
    /// or null: unknown names are not counted, so made-up ones cannot fill the counter table.</summary>
    async Task<string?> PoolOf(object request, CancellationToken ct)
    {
        var named = RequestNames.Of(request);
        if (named.UserPoolId is { Length: > 0 and <= 55 } poolId) return await Remembered("pool:" + poolId, db => db.UserPools.Where(p => p.Id == poolId).Select(p => p.Id), ct);
        if (named.ClientId is { Length: > 0 and <= 128 } clientId)
            return await Remembered("client:" + clientId, db => db.AppClients.Where(c => c.ClientId == clientId).Select(c => c.UserPoolId), ct);
        if (named.IssuerPoolId is { Length: > 0 and <= 55 } issuer) return await Remembered("pool:" + issuer, db => db.UserPools.Where(p => p.Id == issuer).Select(p => p.Id), ct);
        return null;
    }

    async Task<string?> Remembered(string name, Func<PortalDb, IQueryable<string>> lookup, CancellationToken ct)
    {
        if (poolOf.TryGetValue(name, out var known)) return known;
        await using var scope = scopes.CreateAsyncScope();
        var found = await lookup(scope.ServiceProvider.GetRequiredService<PortalDb>()).FirstOrDefaultAsync(ct);
        // Only hits are remembered: a pool or client created later is found then; a deleted one keeps counting harmlessly.
        if (found is not null)
        {
            if (poolOf.Count >= MaxRememberedNames) poolOf.Clear();
            poolOf[name] = found;
        }
        return found;
    }

    public void Dispose() => perAddress.Dispose();
}

/// <summary>Fixed-window counters in the database, incremented atomically by every instance (one upsert, no read first).</summary>
public static class SharedCounters
{
    /// <summary>Adds one to the counter of <paramref name="key"/> in <paramref name="window"/> (a window number: a newer
    /// one starts again at 1) and answers the count.</summary>
    public static Task<int> Increment(PortalDb db, string key, long window, CancellationToken ct) => Increment(db, key, window, 1, ct);

    /// <summary>Adds <paramref name="by"/> to the counter of <paramref name="key"/> in <paramref name="window"/> and answers the count.</summary>
    public static async Task<int> Increment(PortalDb db, string key, long window, int by, CancellationToken ct)
    {
        var counts = await db.Database.SqlQuery<int>($"""
            INSERT INTO "RateLimitCounters" ("Key", "Window", "Count") VALUES ({key}, {window}, {by})
            ON CONFLICT ("Key") DO UPDATE SET
              "Count" = CASE WHEN excluded."Window" > "RateLimitCounters"."Window" THEN {by} ELSE "RateLimitCounters"."Count" + {by} END,
              "Window" = CASE WHEN excluded."Window" > "RateLimitCounters"."Window" THEN excluded."Window" ELSE "RateLimitCounters"."Window" END
            RETURNING "Count" AS "Value"
            """).ToListAsync(ct);
        return counts[0];
    }
}

/// <summary>The names a request carries that say which pool it is for, read once per request type by reflection.</summary>
static class RequestNames
{
    public readonly record struct Names(string? UserPoolId, string? ClientId, string? IssuerPoolId);

    static readonly ConcurrentDictionary<Type, (System.Reflection.PropertyInfo? Pool, System.Reflection.PropertyInfo? Client, System.Reflection.PropertyInfo? Token)> Properties = new();

    public static Names Of(object request)
    {
        var (pool, client, token) = Properties.GetOrAdd(request.GetType(), t => (
            t.GetProperty("UserPoolId") is { PropertyType: var p } pi && p == typeof(string) ? pi : null,
            t.GetProperty("ClientId") is { PropertyType: var c } ci && c == typeof(string) ? ci : null,
            t.GetProperty("AccessToken") is { PropertyType: var a } ai && a == typeof(string) ? ai : null));
        return new Names(pool?.GetValue(request) as string, client?.GetValue(request) as string,
            token?.GetValue(request) is string jwt ? IssuerPool(jwt) : null);
    }

    /// <summary>The pool id at the end of an access token's issuer, read without checking the token (it only picks the counter).</summary>
    static string? IssuerPool(string jwt)
    {
        try
        {
            var iss = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(jwt).Issuer;
            return iss is { Length: > 0 } ? iss[(iss.LastIndexOf('/') + 1)..] : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
