using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>
/// Repeated wrong passwords and codes lock the user for a growing while, as Cognito does. Each attempt is counted in
/// the user's row before its secret is checked, by one conditional update, as if it failed: parallel guesses cannot
/// pass the limit, and every instance sees the same counters. A right secret takes its attempt back; the counter is
/// reset only when the whole sign-in succeeds, so a known password does not buy fresh guesses at the second factor.
/// The count and its take-back are durable writes of the operation's unit of work (<see cref="Engine.UnitOfWork"/>): a
/// failed sign-in rolls back, its counted attempt stays. Callers count before the operation's first write, so the count
/// commits at once and a parallel guess reads it.
/// </summary>
public sealed class SignInLockout(PortalDb db, TimeProvider clock)
{
    /// <summary>Failures allowed before the first lock.</summary>
    public const int FreeAttempts = 5;

    /// <summary>An attempt counted before its check: the counters before it, to restore when the secret is right.</summary>
    public sealed record Attempt(string Sub, int FailedBefore, DateTimeOffset? LockedBefore, int FailedAfter);

    /// <summary>How long the n-th failure locks: 1 s at the 5th, doubling per failure, at most 15 minutes.</summary>
    public static TimeSpan LockFor(int failed) => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failed - FreeAttempts), 900));

    public bool IsLocked(UserRow user) => user.LockedUntil is { } until && until > clock.GetUtcNow();

    /// <summary>Counts an attempt as failed before its secret is checked; null when the user is locked (the secret must
    /// not be checked at all).</summary>
    public async Task<Attempt?> Begin(UserRow user, CancellationToken ct)
    {
        // A user a migration trigger just made is not stored yet: it has no failures to count.
        if (db.Entry(user).State == EntityState.Added) return new Attempt(user.Sub, 0, null, 0);
        await TakeBackLeftForTheEnd(ct);
        return await db.Work.Durably(c => Count(user, c), ct);
    }

    async Task<Attempt?> Count(UserRow user, CancellationToken ct)
    {
        // Optimistic on the counter: of parallel attempts that read the same count, one wins; the others read again.
        // The first round starts from the row as this request read it (the update's condition finds out when another
        // attempt counted since); later rounds, and a row that reads locked, read the counters from the store.
        var tracked = ReadFromStore(user);
        for (var round = 0; round < 8; round++)
        {
            var now = clock.GetUtcNow();
            var current = round == 0 && tracked && !IsLocked(user)
                ? new Counters(user.FailedSignIns, user.LockedUntil)
                : await db.Users.AsNoTracking().Where(u => u.Sub == user.Sub)
                    .Select(u => new Counters(u.FailedSignIns, u.LockedUntil)).FirstOrDefaultAsync(ct);
            if (current is null) return null;
            if (current.LockedUntil is { } until && until > now)
            {
                Mirror(user, current.FailedSignIns, current.LockedUntil);
                return null;
            }
            var failed = current.FailedSignIns + 1;
            DateTimeOffset? lockedUntil = failed >= FreeAttempts ? now + LockFor(failed) : null;
            var counted = await db.Users
                .Where(u => u.Sub == user.Sub && u.FailedSignIns == current.FailedSignIns && (u.LockedUntil == null || u.LockedUntil <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, failed).SetProperty(u => u.LockedUntil, lockedUntil), ct);
            if (counted == 1)
            {
                Mirror(user, failed, lockedUntil);
                return new Attempt(user.Sub, current.FailedSignIns, current.LockedUntil, failed);
            }
        }
        // So many guesses at once that none could be counted: refuse this one rather than check it uncounted.
        return null;
    }

    /// <summary>The secret was right: the attempt is taken back (unless other attempts were counted since). Durable as
    /// the count is, so a right secret stays right when a later step of the operation fails. Inside an operation the
    /// take-back is left for its end (made in its transaction before the commit, or on its own after a rollback): no
    /// commit of its own. The row reads as taken back at once.</summary>
    public async Task Proven(UserRow user, Attempt attempt, CancellationToken ct)
    {
        if (attempt.FailedAfter == 0) return;
        if (db.Work.AtEnd(c => ReferenceEquals(leftForTheEnd, attempt) ? TakeBack(attempt, c) : Task.CompletedTask))
        {
            leftForTheEnd = attempt;
            Mirror(user, attempt.FailedBefore, attempt.LockedBefore);
            return;
        }
        if (await db.Work.Durably(c => TakeBack(attempt, c), ct) == 1) Mirror(user, attempt.FailedBefore, attempt.LockedBefore);
    }

    /// <summary>The take-back <see cref="Proven"/> left for the operation's end and not yet made (at most one: the next
    /// <see cref="Begin"/> makes it first).</summary>
    Attempt? leftForTheEnd;

    /// <summary>Another attempt is about to be counted: a take-back left for the end is made now, so the two do not cross
    /// (a later take-back, run again after a rollback, could otherwise undo the new count).</summary>
    async Task TakeBackLeftForTheEnd(CancellationToken ct)
    {
        if (leftForTheEnd is not { } left) return;
        leftForTheEnd = null;
        await db.Work.Durably(c => TakeBack(left, c), ct);
    }

    Task<int> TakeBack(Attempt attempt, CancellationToken ct) =>
        db.Users.Where(u => u.Sub == attempt.Sub && u.FailedSignIns == attempt.FailedAfter)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, attempt.FailedBefore).SetProperty(u => u.LockedUntil, attempt.LockedBefore), ct);

    /// <summary>The whole sign-in succeeded (tokens are issued): the failures are forgotten. A row this request read
    /// (or counted and took back) with no failures has none of its own to forget: no statement.</summary>
    public async Task Succeeded(UserRow user, CancellationToken ct)
    {
        if (db.Entry(user).State == EntityState.Added) return;
        if (ReadFromStore(user) && user.FailedSignIns == 0 && user.LockedUntil is null) return;
        await db.Users.Where(u => u.Sub == user.Sub && (u.FailedSignIns != 0 || u.LockedUntil != null))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct);
        Mirror(user, 0, null);
    }

    sealed record Counters(int FailedSignIns, DateTimeOffset? LockedUntil);

    /// <summary>The row's counters are the store's as this request read them (or as <see cref="Mirror"/> kept them).</summary>
    bool ReadFromStore(UserRow user) => db.Entry(user).State is EntityState.Unchanged or EntityState.Modified;

    /// <summary>Keeps the tracked row in step with the store without marking it changed, so a later save of the
    /// user does not write stale counters back.</summary>
    void Mirror(UserRow user, int failed, DateTimeOffset? lockedUntil)
    {
        var entry = db.Entry(user);
        if (entry.State is EntityState.Detached or EntityState.Added) return;
        var count = entry.Property(u => u.FailedSignIns);
        var until = entry.Property(u => u.LockedUntil);
        (count.CurrentValue, count.OriginalValue, until.CurrentValue, until.OriginalValue) = (failed, failed, lockedUntil, lockedUntil);
        // Setting a value marks it modified, which would write this (soon stale) count back on the next save.
        (count.IsModified, until.IsModified) = (false, false);
    }
}
