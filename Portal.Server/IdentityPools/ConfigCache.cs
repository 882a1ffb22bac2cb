using System.Collections.Concurrent;

namespace Portal.Server.IdentityPools;

/// <summary>
/// A per-instance cache of configuration read on every identity-pool call (an identity pool, an IAM role and its parsed
/// trust policy, a user pool's public key). An entry lives <see cref="Ttl"/> at most, so a change made through another
/// instance sharing the database is seen within that delay at the latest, as IAM's own changes propagate (README, "Identity
/// pools: caching"); a change made through this instance forgets the entry at once and again after its commit, and other
/// instances forget it when the change's notification arrives (<see cref="Storage.ChangeNotifications"/>, well under a second). Only found
/// values are kept: something created later is read when first asked for.
/// </summary>
public sealed class ConfigCache<T>(TimeProvider clock) where T : class
{
    /// <summary>How long another instance's change may go unseen here.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    const int MaxEntries = 10_000;

    readonly ConcurrentDictionary<string, (T Value, DateTimeOffset Until)> entries = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    long generation;

    /// <summary>The cached value of <paramref name="key"/>, or what <paramref name="load"/> reads (kept when found).</summary>
    public async Task<T?> Get(string key, Func<CancellationToken, Task<T?>> load, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(load);
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(key, out var entry) && entry.Until > now) return entry.Value;
        var before = Interlocked.Read(ref generation);
        var value = await load(ct);
        if (value is null) return null;
        lock (gate)
        {
            // A value read while something was forgotten may be the old one: used for this call, not kept.
            if (generation != before) return value;
            if (entries.Count >= MaxEntries) entries.Clear();
            entries[key] = (value, now + Ttl);
        }
        return value;
    }

    /// <summary>Forgets every entry (another instance changed something this one cannot name).</summary>
    public void Clear()
    {
        lock (gate)
        {
            generation++;
            entries.Clear();
        }
    }

    /// <summary>Forgets the entry (a change made through this instance, or another instance's notification).</summary>
    public void Forget(string key)
    {
        lock (gate)
        {
            generation++;
            entries.TryRemove(key, out _);
        }
    }
}
