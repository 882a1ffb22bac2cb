namespace Portal.Server.Storage;

/// <summary>The wake-up of a background loop that polls its table: <see cref="Wait"/> returns after the period, or at once
/// when <see cref="Wake"/> was called since the last wait (work was committed in this instance). Shared by the outbox and
/// job workers so each keeps one loop and no signal plumbing of its own.</summary>
public sealed class Wakeup
{
    TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends the current (or the next) wait early.</summary>
    public void Wake() => Volatile.Read(ref signal).TrySetResult();

    /// <summary>Waits for a wake-up or the period, whichever comes first; a cancelled token ends it without throwing.
    /// Answers whether a wake-up ended it.</summary>
    public async Task<bool> Wait(TimeSpan period, TimeProvider clock, CancellationToken ct)
    {
        var woken = Volatile.Read(ref signal).Task;
        var first = await Task.WhenAny(woken, Task.Delay(period, clock, ct));
        Interlocked.Exchange(ref signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return first == woken;
    }
}
