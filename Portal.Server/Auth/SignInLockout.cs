using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>Repeated wrong passwords lock the user for a growing while, as Cognito does; the counters live in the
/// user's row so every instance sees them. Callers save the row.</summary>
public sealed class SignInLockout(TimeProvider clock)
{
    /// <summary>Failures allowed before the first lock.</summary>
    public const int FreeAttempts = 5;

    public bool IsLocked(UserRow user) => user.LockedUntil is { } until && until > clock.GetUtcNow();

    public void Failed(UserRow user)
    {
        user.FailedSignIns++;
        if (user.FailedSignIns >= FreeAttempts)
        {
            // 1 s after the 5th failure, doubling per failure, at most 15 minutes.
            var seconds = Math.Min(Math.Pow(2, user.FailedSignIns - FreeAttempts), 900);
            user.LockedUntil = clock.GetUtcNow().AddSeconds(seconds);
        }
    }

    public void Succeeded(UserRow user)
    {
        user.FailedSignIns = 0;
        user.LockedUntil = null;
    }
}
