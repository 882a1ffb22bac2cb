using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools.Imports;

namespace Portal.Server.UserPools.Operations;

sealed class CreateUserImportJob(PortalDb db, UserPoolStore pools, UserImportJobs jobs, TimeProvider clock)
    : IOperation<CreateUserImportJobRequest, CreateUserImportJobResponse>
{
    public async Task<CreateUserImportJobResponse> Handle(CreateUserImportJobRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var job = new UserImportJobRow
        {
            JobId = UserImportJobs.NewJobId(), UserPoolId = pool.Row.Id, JobName = request.JobName!,
            CloudWatchLogsRoleArn = request.CloudWatchLogsRoleArn!, UploadToken = UserImportJobs.NewUploadToken(),
            CreationDate = clock.GetUtcNow(),
        };
        jobs.Rows.Add(job);
        await db.SaveChangesAsync(ct);
        return new CreateUserImportJobResponse { UserImportJob = jobs.ToType(job) };
    }
}
