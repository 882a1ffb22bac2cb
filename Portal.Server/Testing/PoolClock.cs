using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.Testing;

/// <summary>
/// Testing mode's per-pool clocks: a pool may run ahead of real time by an offset (a settings row
/// <c>testing/clock/{poolId}</c> = seconds), so a suite sees codes, sessions, tokens, SSO cookies and lockouts expire
/// without waiting. Rather than every service asking for "the pool's time", the server's one <see cref="TimeProvider"/>
/// is <see cref="PoolClock"/> while testing mode is on, and it adds the offset of the pool the current work is about:
/// each HTTP request and each dispatcher operation carries a small <see cref="Flow"/> (an async-local, as the dispatcher's
/// running operation is), and the places that resolve a pool (<see cref="UserPools.UserPoolStore.Find"/>, the access-token
/// check) <see cref="Enter"/> it. Work about no pool (start-up, IAM, background sweeps) reads real time. Testing mode off:
/// no flows, no reads, and the endpoints are 404.
/// <para>Offsets are cached per instance for <see cref="Ttl"/> at most; a change made here forgets the entry at once,
/// and other instances forget it on the change's notification (<see cref="ChangeNotifications"/>).</para>
/// </summary>
public sealed class PoolClocks(IOptions<TestingOptions> options)
{
    public const string Prefix = "testing/clock/";

    /// <summary>The longest offset a pool may have: beyond a year, Data Protection's own key lifetimes would start to move.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(366);

    static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    /// <summary>The pool the current request or operation is about, and its offset.</summary>
    public sealed class Flow
    {
        public string? UserPoolId { get; set; }
        public TimeSpan Offset { get; set; }
    }

    static readonly AsyncLocal<Flow?> Current = new();

    readonly ConcurrentDictionary<string, (TimeSpan Offset, long Until)> cache = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    long generation;

    public bool Enabled => options.Value.Enabled;

    /// <summary>The offset of the pool the current work is about (zero outside testing mode or any pool).</summary>
    public static TimeSpan CurrentOffset => Current.Value?.Offset ?? TimeSpan.Zero;

    /// <summary>Starts a flow for a request or an operation, beginning with the pool of the flow around it (a hosted page's
    /// operation is about the page's pool until it names another); what the inner work enters stays inside it.</summary>
    public Scope Begin()
    {
        if (!Enabled) return default;
        var outer = Current.Value;
        Current.Value = new Flow { UserPoolId = outer?.UserPoolId, Offset = outer?.Offset ?? TimeSpan.Zero };
        return new Scope(outer, true);
    }

    public readonly struct Scope(Flow? outer, bool begun) : IDisposable
    {
        public void Dispose()
        {
            if (begun) Current.Value = outer;
        }
    }

    /// <summary>The current work is about this pool: from now on it reads the pool's clock.</summary>
    public async ValueTask Enter(PortalDb db, string userPoolId, CancellationToken ct)
    {
        if (!Enabled || Current.Value is not { } flow || flow.UserPoolId == userPoolId) return;
        var offset = await Offset(db, userPoolId, ct);
        flow.UserPoolId = userPoolId;
        flow.Offset = offset;
    }

    /// <summary>The pool's offset (cached for a few seconds).</summary>
    public async ValueTask<TimeSpan> Offset(PortalDb db, string userPoolId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!Enabled) return TimeSpan.Zero;
        var now = Environment.TickCount64;
        if (cache.TryGetValue(userPoolId, out var entry) && entry.Until > now) return entry.Offset;
        var before = Interlocked.Read(ref generation);
        var offset = await Read(db, userPoolId, ct);
        lock (gate)
        {
            // Read while something was forgotten: used for this call, not kept.
            if (generation == before)
            {
                if (cache.Count >= 10_000) cache.Clear();
                cache[userPoolId] = (offset, now + (long)Ttl.TotalMilliseconds);
            }
        }
        return offset;
    }

    static async Task<TimeSpan> Read(PortalDb db, string userPoolId, CancellationToken ct)
    {
        var key = Prefix + userPoolId;
        var value = await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(ct);
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
    }

    /// <summary>Says the pool's offset row changed in this unit of work: this instance forgets it now and after the commit,
    /// other instances when the change's notification (published with this save) arrives.</summary>
    public async Task Changed(PortalDb db, string userPoolId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.ConfigChanged(ChangeNotifications.TestingClock, userPoolId);
        await db.SaveChangesAsync(ct);
        Forget(userPoolId);
        await db.Work.AfterCommit(_ =>
        {
            Forget(userPoolId);
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>Forgets a pool's cached offset (a change here, or another instance's notification).</summary>
    public void Forget(string userPoolId)
    {
        lock (gate)
        {
            generation++;
            cache.TryRemove(userPoolId, out _);
        }
        // The flow that changed it reads the new offset at its next Enter.
        if (Current.Value is { } flow && flow.UserPoolId == userPoolId) flow.UserPoolId = null;
    }

    /// <summary>Forgets every cached offset.</summary>
    public void Clear()
    {
        lock (gate)
        {
            generation++;
            cache.Clear();
        }
    }
}

/// <summary>The server's clock in testing mode: real time (the clock it wraps) plus the offset of the pool the current
/// work is about (<see cref="PoolClocks"/>). Timestamps and timers are the wrapped clock's: durations never jump.</summary>
public sealed class PoolClock(TimeProvider inner) : TimeProvider
{
    public TimeProvider Inner => inner;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + PoolClocks.CurrentOffset;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

/// <summary>Wraps whichever <see cref="TimeProvider"/> is registered last (the system's, or a test host's) in a
/// <see cref="PoolClock"/> while testing mode is on; runs when the container is built, after every registration.</summary>
sealed class PoolClockServices(IConfiguration configuration, IHostEnvironment environment) : IServiceProviderFactory<IServiceCollection>
{
    public IServiceCollection CreateBuilder(IServiceCollection services)
    {
        if (!configuration.GetValue<bool>("Portal:" + TestingSetup.Section + ":" + nameof(TestingOptions.Enabled))) return services;
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TimeProvider));
        if (registered is null) return services;
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(sp => new PoolClock(registered.ImplementationInstance as TimeProvider
            ?? (registered.ImplementationFactory is { } factory ? (TimeProvider)factory(sp)
                : (TimeProvider)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
        return services;
    }

    public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) =>
        containerBuilder.BuildServiceProvider(new ServiceProviderOptions
        {
            // As the host's default factory does.
            ValidateScopes = environment.IsDevelopment(),
            ValidateOnBuild = environment.IsDevelopment(),
        });
}

/// <summary>Each HTTP request begins its own clock flow, before any other middleware.</summary>
sealed class PoolClockStartup(PoolClocks clocks) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (clocks.Enabled)
            app.Use(async (http, inner) =>
            {
                using var flow = clocks.Begin();
                await inner(http);
            });
        next(app);
    };
}
