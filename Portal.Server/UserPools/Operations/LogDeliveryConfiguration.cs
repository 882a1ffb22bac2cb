using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools.LogDelivery;

namespace Portal.Server.UserPools.Operations;

/// <summary>
/// Sets a pool's log delivery, replacing what was set (an empty list turns it off). As Cognito documents it: at most one
/// configuration per event source, each with one destination; <c>userNotification</c> is ERROR-level and goes to a
/// CloudWatch Logs group; <c>userAuthEvents</c> is INFO-level, goes to a log group, a Firehose stream or an S3 bucket, and
/// needs the Plus feature plan. A destination that changes starts with fresh status; records waiting for a destination
/// that is no longer configured are dropped with it.
/// </summary>
sealed class SetLogDeliveryConfiguration(PortalDb db, UserPoolStore pools, TimeProvider clock)
    : IOperation<SetLogDeliveryConfigurationRequest, SetLogDeliveryConfigurationResponse>
{
    public async Task<SetLogDeliveryConfigurationResponse> Handle(SetLogDeliveryConfigurationRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var configurations = request.LogConfigurations!;
        var destinations = new List<(LogConfigurationType Configuration, string Kind, string Arn)>();
        foreach (var c in configurations)
        {
            var count = new object?[] { c.CloudWatchLogsConfiguration?.LogGroupArn, c.S3Configuration?.BucketArn, c.FirehoseConfiguration?.StreamArn }.Count(x => x is not null);
            if (count != 1 || LogDestinations.Of(c) is not { } destination)
                throw new InvalidParameterException(
                    $"A log configuration for {c.EventSource} needs exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.");
            if (c.EventSource == LogRecords.UserNotification && (c.LogLevel != "ERROR" || destination.Kind != LogDestinations.CloudWatchLogs))
                throw new InvalidParameterException("userNotification logs are delivered at LogLevel ERROR to a CloudWatchLogsConfiguration only.");
            if (c.EventSource == LogRecords.UserAuthEvents && c.LogLevel != "INFO")
                throw new InvalidParameterException("userAuthEvents logs are delivered at LogLevel INFO.");
            if (destination.Kind == LogDestinations.CloudWatchLogs && !destination.Arn.Contains(":log-group:", StringComparison.Ordinal))
                throw new InvalidParameterException($"LogGroupArn {destination.Arn} is not the ARN of a CloudWatch Logs log group.");
            if (destination.Kind == LogDestinations.Firehose && !destination.Arn.Contains(":deliverystream/", StringComparison.Ordinal))
                throw new InvalidParameterException($"StreamArn {destination.Arn} is not the ARN of a Firehose stream.");
            if (destinations.Any(d => d.Configuration.EventSource == c.EventSource))
                throw new InvalidParameterException($"Only one log configuration per EventSource: {c.EventSource} is given twice.");
            destinations.Add((c, destination.Kind, destination.Arn));
        }
        if (destinations.Any(d => d.Configuration.EventSource == LogRecords.UserAuthEvents) && pool.Settings.UserPoolTier != "PLUS")
            throw new FeatureUnavailableInTierException("User activity logs (EventSource userAuthEvents) need the Plus feature plan.");

        LogRecords.Store(pool.Row, destinations.Select(d => d.Configuration).ToList());
        pool.Row.LastModifiedAt = clock.GetUtcNow();
        var kept = destinations.Select(d => d.Configuration.EventSource + "\n" + d.Arn).ToHashSet(StringComparer.Ordinal);
        var existing = await db.Set<LogDestinationRow>().Where(s => s.UserPoolId == pool.Row.Id).ToListAsync(ct);
        foreach (var row in existing.Where(r => !kept.Contains(r.EventSource + "\n" + r.Destination)))
        {
            db.Remove(row);
            await db.Set<LogOutboxRow>().Where(r => r.UserPoolId == pool.Row.Id && r.EventSource == row.EventSource && r.Destination == row.Destination)
                .ExecuteDeleteAsync(ct);
        }
        await pools.Save(ct);
        foreach (var (c, kind, arn) in destinations.Where(d => !existing.Any(r => r.EventSource == d.Configuration.EventSource && r.Destination == d.Arn)))
            db.Add(new LogDestinationRow { UserPoolId = pool.Row.Id, EventSource = c.EventSource!, Kind = kind, Destination = arn, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return new SetLogDeliveryConfigurationResponse
        {
            LogDeliveryConfiguration = new LogDeliveryConfigurationType { UserPoolId = pool.Row.Id, LogConfigurations = [.. destinations.Select(d => d.Configuration)] },
        };
    }
}

/// <summary>The pool's log delivery as set (an empty list when none is).</summary>
sealed class GetLogDeliveryConfiguration(UserPoolStore pools) : IOperation<GetLogDeliveryConfigurationRequest, GetLogDeliveryConfigurationResponse>
{
    public async Task<GetLogDeliveryConfigurationResponse> Handle(GetLogDeliveryConfigurationRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new GetLogDeliveryConfigurationResponse
        {
            LogDeliveryConfiguration = new LogDeliveryConfigurationType { UserPoolId = pool.Row.Id, LogConfigurations = LogRecords.Configurations(pool.Row) },
        };
    }
}

/// <summary>Portal-only: each configured destination with what waits for it, what was delivered and dropped, and its last
/// success and error (failing while the last attempt failed).</summary>
sealed class GetLogDeliveryStatus(PortalDb db, UserPoolStore pools, IOptionsMonitor<LogDeliveryOptions> options)
    : IOperation<GetLogDeliveryStatusRequest, GetLogDeliveryStatusResponse>
{
    public async Task<GetLogDeliveryStatusResponse> Handle(GetLogDeliveryStatusRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var rows = await db.Set<LogDestinationRow>().AsNoTracking().Where(s => s.UserPoolId == pool.Row.Id).OrderBy(s => s.EventSource).ToListAsync(ct);
        var pending = await db.Set<LogOutboxRow>().AsNoTracking().Where(r => r.UserPoolId == pool.Row.Id)
            .GroupBy(r => new { r.EventSource, r.Destination }).Select(g => new { g.Key.EventSource, g.Key.Destination, Count = g.Count() }).ToListAsync(ct);
        return new GetLogDeliveryStatusResponse
        {
            RetentionHours = options.CurrentValue.RetentionHours,
            Destinations = rows.Select(r => new LogDestinationStatusType
            {
                EventSource = r.EventSource, Kind = r.Kind, Arn = r.Destination, Delivered = r.Delivered, Dropped = r.Dropped,
                Pending = pending.FirstOrDefault(p => p.EventSource == r.EventSource && p.Destination == r.Destination)?.Count ?? 0,
                LastDeliveredDate = r.LastDeliveredAt, LastError = r.LastError, LastErrorDate = r.LastErrorAt,
                Failing = r.LastErrorAt is { } failed && (r.LastDeliveredAt is not { } ok || failed > ok),
            }).ToList(),
        };
    }
}
