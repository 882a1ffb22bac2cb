using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Portal.Server;

namespace Portal.Tests.ScaleOut;

/// <summary>What an idle Portal keeps (IdleMemory): the metric tables sized by their tags, and the start's garbage
/// collected once the start has settled. The memory figures themselves are the benchmark's (Portal.Tests/bench).</summary>
public sealed class IdleMemoryTests
{
    [Fact]
    public void Instruments_with_fixed_tags_keep_a_small_table_and_portals_own_keep_every_series()
    {
        // Two meters as Portal exports them: one whose instruments have fixed tags (as the runtime's), and Portal's own.
        using var runtime = new Meter("Portal.Tests.FixedTags");
        using var portal = new Meter("Portal");
        var exported = new Dictionary<string, List<(string Tags, long Sum)>>();
        using (var provider = Sdk.CreateMeterProviderBuilder()
                   .AddMeter(runtime.Name, portal.Name)
                   .AddView(IdleMemory.CardinalityLimit)
                   .AddReader(new BaseExportingMetricReader(new Collect(exported)))
                   .Build())
        {
            var fixedTags = runtime.CreateCounter<long>("test.fixed_tags");
            var operations = portal.CreateCounter<long>("test.operations");
            for (var i = 0; i < 300; i++)
            {
                fixedTags.Add(1, new KeyValuePair<string, object?>("value", i));
                operations.Add(1, new KeyValuePair<string, object?>("operation", "Operation" + i));
            }
            provider.ForceFlush();
        }

        var small = exported["test.fixed_tags"];
        Assert.InRange(small.Count, IdleMemory.FixedTagsLimit - 1, IdleMemory.FixedTagsLimit + 1);
        // What did not fit is counted, not lost: it goes to the overflow series.
        Assert.Contains(small, p => p.Tags.Contains("otel.metric.overflow"));
        Assert.Equal(300, small.Sum(p => p.Sum));

        var all = exported["test.operations"];
        Assert.Equal(300, all.Count);
        Assert.DoesNotContain(all, p => p.Tags.Contains("otel.metric.overflow"));
        // The HTTP server's duration (by route) keeps the default as well.
        using var hosting = new Meter("Microsoft.AspNetCore.Hosting");
        Assert.Null(IdleMemory.CardinalityLimit(hosting.CreateHistogram<double>("http.server.request.duration")));
    }

    static List<(string Tags, long Sum)> Points(Metric metric)
    {
        var points = new List<(string, long)>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new List<string>();
            foreach (var tag in point.Tags) tags.Add($"{tag.Key}={tag.Value}");
            points.Add((string.Join(",", tags), point.GetSumLong()));
        }
        return points;
    }

    /// <summary>The points of each metric as last exported (they are read during the export, as exporters do).</summary>
    sealed class Collect(Dictionary<string, List<(string Tags, long Sum)>> into) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch) into[metric.Name] = Points(metric);
            return ExportResult.Success;
        }
    }

    [Fact]
    public async Task The_start_ups_garbage_is_collected_once_the_host_has_started_and_settled()
    {
        var (clock, lifetime, log) = (new FakeTimeProvider(), new Lifetime(), new Logged());
        using var service = new IdleMemory.CollectAfterStart(lifetime, clock, log);
        var before = GC.CollectionCount(GC.MaxGeneration);
        await service.StartAsync(CancellationToken.None);

        // Not before the host has started, however long the wait.
        clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(200);
        Assert.False(service.ExecuteTask!.IsCompleted);

        // Then after the settling time, by the server's clock: time moves here only when the test moves it.
        lifetime.Started.Cancel();
        var waited = TimeSpan.Zero;
        while (!service.ExecuteTask.IsCompleted && waited < TimeSpan.FromMinutes(1))
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            waited += TimeSpan.FromMilliseconds(250);
            await Task.Delay(20);
        }
        await service.ExecuteTask.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(waited, IdleMemory.CollectAfterStart.Settle, IdleMemory.CollectAfterStart.Settle + TimeSpan.FromSeconds(5));
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before, "no full collection ran");
        Assert.Matches(@"^Start-up garbage collected: heap committed \d+ MB → \d+ MB$", Assert.Single(log.Messages));
    }

    [Fact]
    public async Task A_stop_before_the_start_has_settled_collects_nothing()
    {
        var (clock, lifetime, log) = (new FakeTimeProvider(), new Lifetime(), new Logged());
        using var service = new IdleMemory.CollectAfterStart(lifetime, clock, log);
        await service.StartAsync(CancellationToken.None);
        lifetime.Started.Cancel();
        await Task.Delay(100);
        await service.StopAsync(CancellationToken.None);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(log.Messages);
    }

    sealed class Logged : ILogger<IdleMemory.CollectAfterStart>
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }

    sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();
        public CancellationToken ApplicationStarted => Started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
