using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools.Imports;

namespace Portal.Server.UserPools.Operations;

sealed class StartUserImportJob(PortalDb db, UserPoolStore pools, UserImportJobs jobs, UserImportRunner runner, TimeProvider clock)
    : IOperation<StartUserImportJobRequest, StartUserImportJobResponse>
{
    public async Task<StartUserImportJobResponse> Handle(StartUserImportJobRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var job = await jobs.Get(pool.Row.Id, request.JobId, ct);
        var now = clock.GetUtcNow();
        if (UserImportJobs.IsExpired(job, now))
            throw new PreconditionNotMetException($"Import job is in {UserImportJobStatus.Expired} state and cannot be started.");
        if (job.Status != UserImportJobStatus.Created)
            throw new PreconditionNotMetException($"Import job is in {job.Status} state and cannot be started.");
        if (job.UploadedAt is null)
            throw new PreconditionNotMetException("No CSV file was uploaded to the import job's pre-signed URL.");
        // Conditional: of two starts one moves the job, and only within the job's start window.
        var before = now - UserImportJobs.StartWindow;
        var moved = await jobs.Rows.Where(j => j.JobId == job.JobId && j.Status == UserImportJobStatus.Created && j.UploadedAt != null && j.CreationDate > before)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, UserImportJobStatus.Pending).SetProperty(j => j.StartDate, now), ct);
        if (moved == 0) throw new PreconditionNotMetException("Import job is in Pending state and cannot be started.");
        await db.Entry(job).ReloadAsync(ct);
        await db.Work.AfterCommit(_ =>
        {
            runner.Signal();
            return Task.CompletedTask;
        }, ct);
        return new StartUserImportJobResponse { UserImportJob = jobs.ToType(job) };
    }
}
