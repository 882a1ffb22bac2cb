using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Gateway;

/// <summary>The gateway's decisions: counted on <c>/metrics</c> at once (<c>portal_gateway_decisions_total{route,kind,decision}</c>)
/// and buffered in memory (a bounded channel) for <see cref="GatewayDecisionWriter"/>, which writes them in batches, so a
/// request never waits on a write. When the buffer is full the oldest waiting decision is dropped from the log (it is
/// still counted, and counted in <c>portal_gateway_decisions_dropped_total</c>); a request is never held.</summary>
public sealed class GatewayDecisionLog
{
    readonly Channel<GatewayDecisionRow> queue;
    readonly Counter<long> decisions;
    readonly Counter<long> dropped;
    readonly TimeProvider clock;
    readonly bool enabled;

    public GatewayDecisionLog(IOptions<GatewayOptions> options, IMeterFactory meters, TimeProvider clock)
    {
        this.clock = clock;
        var log = options.Value.DecisionLog;
        enabled = log.Enabled;
        var meter = meters.Create(OperationMetrics.MeterName);
        decisions = meter.CreateCounter<long>("portal.gateway.decisions", description: "Gateway authorization decisions, by route, kind and decision.");
        dropped = meter.CreateCounter<long>("portal.gateway.decisions.dropped", description: "Gateway decisions left out of the log because its buffer was full (the oldest go).");
        queue = Channel.CreateBounded<GatewayDecisionRow>(new BoundedChannelOptions(Math.Max(1, log.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false,
        }, row =>
        {
            dropped.Add(1, new KeyValuePair<string, object?>("route", row.RouteId));
            Settled(1);
        });
    }

    /// <summary>The route setting that keeps a route's decisions out of the log (they are still counted on /metrics).</summary>
    public const string LogDecisionsSetting = "LogDecisions";

    public ChannelReader<GatewayDecisionRow> Reader => queue.Reader;

    long recorded, settled;
    readonly Lock gate = new();
    readonly List<(long Count, TaskCompletionSource Done)> waiting = [];

    TaskCompletionSource flush = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every decision recorded so far has been written, failed to be written, or dropped (tests and
    /// the portal's live tail wait on it instead of on time). The writer flushes at once while anyone waits.</summary>
    public Task Drained()
    {
        Task wait;
        lock (gate)
        {
            var target = recorded;
            if (settled >= target) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting.Add((target, done));
            wait = done.Task;
        }
        Volatile.Read(ref flush).TrySetResult();
        return wait;
    }

    /// <summary>Someone waits in <see cref="Drained"/>: the writer does not hold a batch back.</summary>
    internal bool Awaited
    {
        get
        {
            lock (gate) return waiting.Count > 0;
        }
    }

    /// <summary>A fresh signal that completes when someone starts waiting in <see cref="Drained"/> (the writer takes it
    /// before it looks at <see cref="Awaited"/>, so no waiter is missed).</summary>
    internal Task NextFlushRequest()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref flush, next);
        return next.Task;
    }

    /// <summary>The writer (or a drop) is done with <paramref name="count"/> decisions.</summary>
    internal void Settled(int count)
    {
        lock (gate)
        {
            settled += count;
            for (var i = waiting.Count - 1; i >= 0; i--)
                if (waiting[i].Count <= settled)
                {
                    waiting[i].Done.TrySetResult();
                    waiting.RemoveAt(i);
                }
        }
    }

    public void Record(GatewayRoute route, GatewayDecision decision)
    {
        var kind = route.Kind.ToString();
        decisions.Add(1, new KeyValuePair<string, object?>("route", route.Id), new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("decision", decision.ErrorCode is { } code && decision.Decision == GatewayDecision.Error ? code : decision.Decision));
        // A route with the setting LogDecisions=false is counted only (the benchmark's pass-through route; a noisy route).
        if (!enabled || !route.Flag(LogDecisionsSetting, true)) return;
        var now = clock.GetUtcNow();
        var row = new GatewayDecisionRow
        {
            Id = Guid.CreateVersion7(now), Time = now, RouteId = route.Id, Kind = kind,
            Caller = Cut(decision.Caller, 256), AccessKeyId = Cut(decision.AccessKeyId, 128), Action = Cut(decision.Action, 128),
            Resource = Cut(decision.Resource, 2048), Decision = decision.Decision, ErrorCode = Cut(decision.ErrorCode, 64),
            Policy = Cut(decision.Policy, 256), Statement = Cut(decision.Statement, 256), SourceIp = Cut(decision.SourceIp, 64),
        };
        lock (gate) recorded++;
        // Never fails while the log is open (a full buffer drops its oldest row, counted above); after Complete, the row
        // is settled as dropped.
        if (!queue.Writer.TryWrite(row))
        {
            dropped.Add(1, new KeyValuePair<string, object?>("route", route.Id));
            Settled(1);
        }
    }

    static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    /// <summary>No more decisions (shutdown): the writer drains what is queued and stops.</summary>
    public void Complete() => queue.Writer.TryComplete();
}

/// <summary>Writes buffered decisions in batches (one SaveChanges per batch): after the first decision of a batch arrives it
/// waits <see cref="DecisionLogOptions.FlushMilliseconds"/> (or until <see cref="DecisionLogOptions.BatchSize"/> are waiting,
/// or someone waits in <see cref="GatewayDecisionLog.Drained"/>), so under load one write carries many decisions instead of
/// one write per request; a decision reaches the log at most about that long after it was made. Keeps the log within its
/// bounds: rows older than <see cref="DecisionLogOptions.RetentionDays"/> and beyond <see cref="DecisionLogOptions.MaxRows"/>
/// (oldest first) are deleted every minute and whenever a tenth of MaxRows has been written since the last pruning.</summary>
public sealed class GatewayDecisionWriter(GatewayDecisionLog log, IServiceScopeFactory scopes, IOptions<GatewayOptions> options, TimeProvider clock,
    ILogger<GatewayDecisionWriter> logger) : BackgroundService
{
    DateTimeOffset lastPruned = DateTimeOffset.MinValue;
    long writtenSincePrune;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Run(stoppingToken);

    public async Task Run(CancellationToken ct)
    {
        var settings = options.Value.DecisionLog;
        var batch = new List<GatewayDecisionRow>(settings.BatchSize);
        try
        {
            while (await log.Reader.WaitToReadAsync(ct))
            {
                await Gather(settings, ct);
                while (batch.Count < settings.BatchSize && log.Reader.TryRead(out var row)) batch.Add(row);
                await Write(batch, ct);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: what is still queued is written without the cancelled token, briefly.
            while (log.Reader.TryRead(out var row)) batch.Add(row);
            if (batch.Count > 0) await Write(batch, CancellationToken.None);
        }
    }

    /// <summary>Lets a batch fill: returns after the flush interval, when a batch is full, or when someone waits on the log.</summary>
    async Task Gather(DecisionLogOptions settings, CancellationToken ct)
    {
        var requested = log.NextFlushRequest();
        if (settings.FlushMilliseconds <= 0 || log.Awaited || log.Reader.Count >= settings.BatchSize) return;
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var interval = Task.Delay(TimeSpan.FromMilliseconds(settings.FlushMilliseconds), clock, stopWaiting.Token);
        await Task.WhenAny(interval, requested);
        await stopWaiting.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    async Task Write(List<GatewayDecisionRow> batch, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.GatewayDecisions.AddRange(batch);
            await db.SaveChangesAsync(ct);
            writtenSincePrune += batch.Count;
            var settings = options.Value.DecisionLog;
            var now = clock.GetUtcNow();
            if (now - lastPruned >= TimeSpan.FromMinutes(1) || writtenSincePrune >= Math.Max(1, settings.MaxRows / 10))
            {
                await Prune(db, settings, now, ct);
                lastPruned = now;
                writtenSincePrune = 0;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Writing {Count} gateway decisions failed; they are not logged.", batch.Count);
        }
        finally
        {
            log.Settled(batch.Count);
        }
    }

    static async Task Prune(PortalDb db, DecisionLogOptions settings, DateTimeOffset now, CancellationToken ct)
    {
        var before = now.AddDays(-Math.Max(0, settings.RetentionDays));
        await db.GatewayDecisions.Where(d => d.Time < before).ExecuteDeleteAsync(ct);
        // At most the newest MaxRows stay: the time of the first row beyond them bounds the deletion (rows of that same
        // instant go with it).
        var bound = await db.GatewayDecisions.OrderByDescending(d => d.Time).Skip(Math.Max(0, settings.MaxRows)).Select(d => (DateTimeOffset?)d.Time)
            .FirstOrDefaultAsync(ct);
        if (bound is { } time)
            await db.GatewayDecisions.Where(d => d.Time <= time).ExecuteDeleteAsync(ct);
    }
}
