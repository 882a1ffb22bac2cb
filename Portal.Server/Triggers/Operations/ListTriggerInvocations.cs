using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Triggers.Operations;

sealed class ListTriggerInvocations(PortalDb db) : IOperation<ListTriggerInvocationsRequest, ListTriggerInvocationsResponse>
{
    public async Task<ListTriggerInvocationsResponse> Handle(ListTriggerInvocationsRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? 50;
        var skip = 0;
        if (request.NextToken is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
            throw new InvalidParameterException("Invalid NextToken.");
        var q = db.TriggerInvocations.AsNoTracking();
        if (request.UserPoolId is { } pool) q = q.Where(t => t.UserPoolId == pool);
        if (request.Trigger is { } trigger) q = q.Where(t => t.Trigger == trigger);
        if (request.Outcome is { } outcome) q = q.Where(t => t.Outcome == outcome);
        if (request.UserName is { } user) q = q.Where(t => t.UserName == user);
        if (request.StartedAfter is { } after) q = q.Where(t => t.StartedAt >= after);
        if (request.StartedBefore is { } before) q = q.Where(t => t.StartedAt < before);
        // Summaries only: the event, response and logs are GetTriggerInvocation's.
        var rows = await q.OrderByDescending(t => t.StartedAt).ThenBy(t => t.Id).Skip(skip).Take(limit + 1)
            .Select(t => new { t.Id, t.UserPoolId, t.Trigger, t.TriggerSource, t.UserName, t.Target, t.StartedAt, t.DurationMs, t.Outcome, t.Error })
            .ToListAsync(ct);
        return new ListTriggerInvocationsResponse
        {
            Invocations = rows.Take(limit).Select(t => new TriggerInvocationType
            {
                Id = t.Id, UserPoolId = t.UserPoolId, Trigger = t.Trigger, TriggerSource = t.TriggerSource, UserName = t.UserName,
                Target = t.Target, StartedAt = t.StartedAt, DurationMs = t.DurationMs, Outcome = t.Outcome, Error = t.Error,
            }).ToList(),
            NextToken = rows.Count > limit ? (skip + limit).ToString(CultureInfo.InvariantCulture) : null,
        };
    }
}
