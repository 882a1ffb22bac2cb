using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

public sealed record GetTestPoolClockRequest : ICognitoRequest<TestPoolClockResponse>
{
    public string? UserPoolId { get; init; }
}

/// <summary>Sets the pool's offset (<see cref="OffsetSeconds"/>, 0 clears it) or moves it on (<see cref="AdvanceSeconds"/>).</summary>
public sealed record SetTestPoolClockRequest : ICognitoRequest<TestPoolClockResponse>
{
    public string? UserPoolId { get; init; }
    public long? OffsetSeconds { get; init; }
    public long? AdvanceSeconds { get; init; }
}

public sealed record TestPoolClockResponse
{
    public string? UserPoolId { get; init; }
    /// <summary>How far the pool's clock runs ahead of real time.</summary>
    public long OffsetSeconds { get; init; }
    /// <summary>The pool's time now.</summary>
    public DateTimeOffset Now { get; init; }
}

/// <summary>A pool's clock in testing mode (<see cref="PoolClocks"/>).</summary>
sealed class GetTestPoolClock(PortalDb db, UserPoolStore pools, PoolClocks clocks, TimeProvider clock)
    : IOperation<GetTestPoolClockRequest, TestPoolClockResponse>
{
    public async Task<TestPoolClockResponse> Handle(GetTestPoolClockRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var offset = await clocks.Offset(db, pool.Row.Id, ct);
        return TestPoolClock.Answer(pool.Row.Id, offset, clock);
    }
}

/// <summary>Sets, moves on or clears a pool's clock offset: one upsert (or an atomic increment) of its settings row, so
/// two calls at once never collide; every instance forgets its cached offset when the change commits. Forward only (a
/// pool's clock never runs behind real time, so nothing it stamps sorts before what came earlier), at most
/// <see cref="PoolClocks.MaxOffset"/>; the administration pool is refused, as resetting it is.</summary>
sealed class SetTestPoolClock(PortalDb db, UserPoolStore pools, PoolClocks clocks, Bootstrap bootstrap, TimeProvider clock)
    : IOperation<SetTestPoolClockRequest, TestPoolClockResponse>
{
    public async Task<TestPoolClockResponse> Handle(SetTestPoolClockRequest request, CancellationToken ct)
    {
        if (!clocks.Enabled) throw new InvalidParameterException("Testing mode is off.");
        if ((request.OffsetSeconds is null) == (request.AdvanceSeconds is null))
            throw new InvalidParameterException("Give either OffsetSeconds (0 clears the offset) or AdvanceSeconds.");
        var max = (long)PoolClocks.MaxOffset.TotalSeconds;
        if (request.OffsetSeconds is < 0 || request.AdvanceSeconds is < 0 || request.OffsetSeconds > max || request.AdvanceSeconds > max)
            throw new InvalidParameterException($"A pool's clock runs ahead of real time by 0 to {max} seconds (a year); it never goes back.");
        var pool = await pools.Get(request.UserPoolId, ct);
        var id = pool.Row.Id;
        if (id == bootstrap.Created?.AdminPoolId)
            throw new InvalidParameterException($"User pool {id} is Portal's administration pool: testing mode does not move its clock.");
        var key = PoolClocks.Prefix + id;
        long seconds;
        if (request.OffsetSeconds is 0)
        {
            await db.Settings.Where(s => s.Key == key).ExecuteDeleteAsync(ct);
            seconds = 0;
        }
        else
        {
            var (set, add) = request.OffsetSeconds is { } offset ? (offset, (long?)null) : (request.AdvanceSeconds!.Value, request.AdvanceSeconds);
            if (add is null)
                await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO "Settings" ("Key", "Value") VALUES ({0}, {1})
                    ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value"
                    """, [key, set.ToString(CultureInfo.InvariantCulture)], ct);
            else
                await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO "Settings" ("Key", "Value") VALUES ({0}, {1})
                    ON CONFLICT ("Key") DO UPDATE SET "Value" = CAST(CAST("Settings"."Value" AS BIGINT) + {2} AS TEXT)
                    """, [key, set.ToString(CultureInfo.InvariantCulture), add.Value], ct);
            var stored = await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync(ct);
            seconds = long.Parse(stored, CultureInfo.InvariantCulture);
            if (seconds > max)
                throw new InvalidParameterException($"A pool's clock runs ahead of real time by at most {max} seconds (a year); it is {seconds - (add ?? 0)} seconds ahead now.");
        }
        await clocks.Changed(db, id, ct);
        return TestPoolClock.Answer(id, TimeSpan.FromSeconds(seconds), clock);
    }
}

static class TestPoolClock
{
    /// <summary>The pool's time from outside its flow: real time (the clock's, without any pool's offset) plus the offset.</summary>
    public static TestPoolClockResponse Answer(string userPoolId, TimeSpan offset, TimeProvider clock) => new()
    {
        UserPoolId = userPoolId,
        OffsetSeconds = (long)offset.TotalSeconds,
        Now = (clock is PoolClock pooled ? pooled.Inner : clock).GetUtcNow() + offset,
    };
}
