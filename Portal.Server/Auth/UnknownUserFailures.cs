namespace Portal.Server.Auth;

/// <summary>
/// Failed sign-ins of names that are no user, counted and locked as <see cref="SignInLockout"/> does a user's, so a client
/// that prevents user existence errors answers "Password attempts exceeded" for an unknown name exactly when it would for
/// a known one. In memory and bounded (per instance): when full, the name that failed longest ago makes room.
/// </summary>
public sealed class UnknownUserFailures(TimeProvider clock)
{
    /// <summary>Names remembered across all pools.</summary>
    public const int Capacity = 10_000;

    sealed class Entry
    {
        public int Failed;
        public DateTimeOffset? LockedUntil;
        public DateTimeOffset Last;
    }

    readonly Dictionary<(string Pool, string Name), Entry> entries = [];
    readonly Lock gate = new();

    public bool IsLocked(string userPoolId, string username)
    {
        lock (gate) return entries.TryGetValue(Key(userPoolId, username), out var e) && e.LockedUntil > clock.GetUtcNow();
    }

    /// <summary>Counts a (always failing) attempt as <see cref="SignInLockout.Begin"/> does; false when the name is locked.</summary>
    public bool Begin(string userPoolId, string username)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            var key = Key(userPoolId, username);
            if (!entries.TryGetValue(key, out var e))
            {
                if (entries.Count >= Capacity) entries.Remove(entries.MinBy(p => p.Value.Last).Key);
                entries[key] = e = new Entry();
            }
            if (e.LockedUntil > now) return false;
            e.Failed++;
            e.Last = now;
            e.LockedUntil = e.Failed >= SignInLockout.FreeAttempts ? now + SignInLockout.LockFor(e.Failed) : null;
            return true;
        }
    }

    static (string, string) Key(string userPoolId, string username) => (userPoolId, username.ToLowerInvariant());
}
