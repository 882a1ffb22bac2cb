using Portal.Server.IdentityPools;

namespace Portal.Server.UserPools;

/// <summary>
/// The per-instance cache of what every sign-in, refresh and token request reads: the user pool's settings and the app
/// client (its secrets, auth flows, OAuth settings, callbacks). Entries are untracked snapshots shared by this instance's
/// requests; only the hot path reads them (<see cref="UserPoolStore.Cached"/>, <see cref="AppClientStore.Cached"/>), and
/// every writer keeps reading the tracked row. A tracked write of a pool or client names it
/// (<see cref="Storage.ChangeNotifications"/>): this instance forgets it when the write is saved and again when it
/// commits, other instances when the notification arrives (PostgreSQL: when the change commits; SQLite: at the next read
/// of the change counter, <see cref="Storage.ChangeNotifications.SqlitePollInterval"/>); <see cref="ConfigCache{T}.Ttl"/>
/// bounds an entry's life if a notification is ever lost. So a deleted or disabled client, a removed secret or a changed
/// callback list or auth flow stops working here at once and on every other instance within that delay.
/// </summary>
public sealed class PoolConfigCache(TimeProvider clock)
{
    public ConfigCache<UserPoolStore.Pool> Pools { get; } = new(clock);
    public ConfigCache<AppClientStore.Client> Clients { get; } = new(clock);

    /// <summary>A hosted-UI domain's pool id, by domain.</summary>
    public ConfigCache<string> Domains { get; } = new(clock);

    /// <summary>Forgets every pool and client (a pool was deleted with its clients, or another instance changed something).</summary>
    public void Clear()
    {
        Pools.Clear();
        Clients.Clear();
        Domains.Clear();
    }
}
