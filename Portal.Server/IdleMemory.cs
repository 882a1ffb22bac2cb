using System.Diagnostics.Metrics;
using System.Runtime;
using OpenTelemetry.Metrics;

namespace Portal.Server;

/// <summary>What a Portal holds while nobody uses it. Two things the start leaves behind are given back:
/// <list type="bullet">
/// <item>The start's garbage. Migrations (a first start builds every migration's model, about 1 MB each), the bootstrap,
/// the routing table's first build and the background services' first passes leave 17–50 MB of dead objects and free
/// space on the heap, and an idle process allocates nothing, so no collection ever runs to return them. Once the start
/// has settled, <see cref="CollectAfterStart"/> runs one full, compacting collection in the runtime's aggressive mode,
/// which also gives the freed memory back to the operating system (<c>Portal:Memory:CollectAfterStart</c>, on by
/// default; off for the in-process test servers, which share one process and would each pause all the others).</item>
/// <item>The metric tables. OpenTelemetry allocates, for every instrument it exports, the whole table of metric points
/// its cardinality limit allows (2,000 by default, about 176 KB with its index) when the instrument first reports: the
/// 46 instruments of a start held 8 MB of a 25 MB live heap. <see cref="CardinalityLimit"/> keeps the default for the
/// instruments whose tags are open-ended (Portal's own, by operation, error code or gateway route; the HTTP server's
/// and routing's, by route; exceptions, by type) and gives the others, whose tags take a handful of fixed values (the
/// runtime's GC generations, Kestrel's protocols, the memory pool's owners), <see cref="FixedTagsLimit"/>.</item>
/// </list></summary>
public static class IdleMemory
{
    public const int FixedTagsLimit = 100;

    static readonly HashSet<string> OpenEnded =
    [
        "http.server.request.duration", "http.server.active_requests", "aspnetcore.routing.match_attempts",
        "aspnetcore.diagnostics.exceptions", "dotnet.exceptions",
    ];

    /// <summary>An OpenTelemetry view: null (the default limit) for open-ended instruments, <see cref="FixedTagsLimit"/>
    /// for the rest.</summary>
    public static MetricStreamConfiguration? CardinalityLimit(Instrument instrument) =>
        instrument.Meter.Name == Engine.OperationMetrics.MeterName || OpenEnded.Contains(instrument.Name)
            ? null
            : new MetricStreamConfiguration { CardinalityLimit = FixedTagsLimit };

    public static void AddIdleMemory(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Portal:Memory:CollectAfterStart", true)) services.AddHostedService<CollectAfterStart>();
    }

    /// <summary>One full, compacting, aggressive collection a few seconds after the web host started (the start-up work and
    /// the background services' first passes are done by then); a stop before it cancels it.</summary>
    public sealed class CollectAfterStart(IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<CollectAfterStart> log)
        : BackgroundService
    {
        public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                try
                {
                    await started.Task;
                    await Task.Delay(Settle, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            var before = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var after = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
            log.LogInformation("Start-up garbage collected: heap committed {Before} MB → {After} MB",
                before / 1_000_000, after / 1_000_000);
        }
    }
}
