using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools.Imports;

namespace Portal.Server.UserPools.Operations;

/// <summary>A job waiting to run stops at once; a running one becomes Stopping and its runner stops it after the batch it
/// is committing (the users imported so far stay).</summary>
sealed class StopUserImportJob(PortalDb db, UserPoolStore pools, UserImportJobs jobs, TimeProvider clock)
    : IOperation<StopUserImportJobRequest, StopUserImportJobResponse>
{
    public async Task<StopUserImportJobResponse> Handle(StopUserImportJobRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var job = await jobs.Get(pool.Row.Id, request.JobId, ct);
        var now = clock.GetUtcNow();
        var moved = job.Status switch
        {
            UserImportJobStatus.Pending => await jobs.Rows.Where(j => j.JobId == job.JobId && j.Status == UserImportJobStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, UserImportJobStatus.Stopped).SetProperty(j => j.CompletionDate, now)
                    .SetProperty(j => j.CompletionMessage, "The import job was stopped."), ct),
            UserImportJobStatus.InProgress => await jobs.Rows.Where(j => j.JobId == job.JobId && j.Status == UserImportJobStatus.InProgress)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, UserImportJobStatus.Stopping), ct),
            _ => 0,
        };
        if (moved == 0)
        {
            await db.Entry(job).ReloadAsync(ct);
            throw new PreconditionNotMetException($"Import job is in {job.Status} state and cannot be stopped.");
        }
        await db.Entry(job).ReloadAsync(ct);
        return new StopUserImportJobResponse { UserImportJob = jobs.ToType(job) };
    }
}
