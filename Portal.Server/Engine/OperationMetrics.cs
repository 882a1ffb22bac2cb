using System.Diagnostics.Metrics;

namespace Portal.Server.Engine;

/// <summary>
/// The metrics behaviour, on the "Portal" meter that <c>/metrics</c> exports in Prometheus' text format:
/// <c>portal_operations_total{operation}</c>, <c>portal_operation_errors_total{operation,error_code}</c> (the AWS error
/// code the caller heard; InternalErrorException for faults) and <c>portal_operation_duration_seconds{operation}</c>.
/// </summary>
public sealed class OperationMetrics
{
    public const string MeterName = "Portal";

    readonly Counter<long> operations;
    readonly Counter<long> errors;
    readonly Histogram<double> duration;

    public OperationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        operations = meter.CreateCounter<long>("portal.operations", description: "Cognito operations run, by operation.");
        errors = meter.CreateCounter<long>("portal.operation.errors", description: "Cognito operations that failed, by operation and AWS error code.");
        duration = meter.CreateHistogram<double>("portal.operation.duration", unit: "s", description: "Time an operation took, in seconds.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    public void Record(string operation, string? errorCode, TimeSpan elapsed)
    {
        var op = new KeyValuePair<string, object?>("operation", operation);
        operations.Add(1, op);
        if (errorCode is not null) errors.Add(1, op, new KeyValuePair<string, object?>("error_code", errorCode));
        duration.Record(elapsed.TotalSeconds, op);
    }
}
