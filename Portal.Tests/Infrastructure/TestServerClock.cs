namespace Portal.Tests.Infrastructure;

/// <summary>The test server's clock: the system's time plus whatever a test has moved it on by. A test that needs time
/// to pass (a later LastModifiedDate, a session check that falls due) calls <see cref="Advance"/> instead of sleeping;
/// timers and timestamps stay the system's, so everything else on the server runs as usual.</summary>
public sealed class TestServerClock : TimeProvider
{
    long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    /// <summary>Moves the server's time on; it never goes back.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }
}
