using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Triggers.Operations;

sealed class GetTriggerInvocation(PortalDb db) : IOperation<GetTriggerInvocationRequest, GetTriggerInvocationResponse>
{
    public async Task<GetTriggerInvocationResponse> Handle(GetTriggerInvocationRequest request, CancellationToken ct)
    {
        var t = await db.TriggerInvocations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == request.Id, ct)
                ?? throw ResourceNotFoundException.TriggerInvocation(request.Id);
        return new GetTriggerInvocationResponse
        {
            Invocation = new TriggerInvocationType
            {
                Id = t.Id, UserPoolId = t.UserPoolId, Trigger = t.Trigger, TriggerSource = t.TriggerSource, UserName = t.UserName,
                Target = t.Target, StartedAt = t.StartedAt, DurationMs = t.DurationMs, Outcome = t.Outcome, Event = t.Event,
                Response = t.Response, Logs = t.Logs, Error = t.Error,
            },
        };
    }
}
