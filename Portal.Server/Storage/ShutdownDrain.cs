namespace Portal.Server.Storage;

/// <summary>Options of <see cref="ShutdownDrain"/> (<c>Portal:Shutdown</c>).</summary>
public sealed class ShutdownOptions
{
    /// <summary>How long an instance told to stop keeps serving while <c>/readyz</c> already says it is stopping, so a load
    /// balancer's health checks take it out of rotation before it stops accepting connections. Set it above the balancer's
    /// interval times its failure threshold. 0 (the default) stops accepting at once, which suits a single instance.</summary>
    public double DrainSeconds { get; set; }
}

/// <summary>A rolling restart without refused requests: on SIGTERM readiness fails at once, the listener stays open for
/// <see cref="ShutdownOptions.DrainSeconds"/>, then Kestrel stops accepting and finishes the requests in flight.</summary>
public sealed class ShutdownDrain(Microsoft.Extensions.Options.IOptions<ShutdownOptions> options, TimeProvider clock, ILogger<ShutdownDrain> log)
    : IHostedLifecycleService
{
    volatile bool draining;

    /// <summary>The instance was told to stop: it is no longer ready for new traffic.</summary>
    public bool Draining => draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        draining = true;
        var wait = TimeSpan.FromSeconds(Math.Max(0, options.Value.DrainSeconds));
        if (wait <= TimeSpan.Zero) return;
        log.LogInformation("Draining for {Seconds} s: /readyz answers 503 while requests are still served", wait.TotalSeconds);
        try
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ended the drain early.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
