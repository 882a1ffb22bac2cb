using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Server.Storage;

/// <summary>Readiness for load balancers: the database answers and the instance is not shutting down. The port only
/// opens once migrations and bootstrap are done, so an instance that answers here is ready; while it drains on
/// shutdown (<see cref="ShutdownDrain"/>) it says it is not, so no new traffic is sent its way. Liveness (<see cref="LivePath"/>) checks nothing
/// but that the process serves requests: a database outage should not get every instance restarted.</summary>
sealed class DatabaseHealthCheck(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ShutdownDrain drain) : IHealthCheck
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string Ready = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (drain.Draining || lifetime.ApplicationStopping.IsCancellationRequested) return HealthCheckResult.Unhealthy("shutting down");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy("database reachable")
            : HealthCheckResult.Unhealthy("database unreachable");
    }
}
