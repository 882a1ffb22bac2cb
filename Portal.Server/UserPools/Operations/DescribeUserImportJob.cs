using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools.Imports;

namespace Portal.Server.UserPools.Operations;

sealed class DescribeUserImportJob(UserPoolStore pools, UserImportJobs jobs)
    : IOperation<DescribeUserImportJobRequest, DescribeUserImportJobResponse>
{
    public async Task<DescribeUserImportJobResponse> Handle(DescribeUserImportJobRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new DescribeUserImportJobResponse { UserImportJob = jobs.ToType(await jobs.Get(pool.Row.Id, request.JobId, ct)) };
    }
}
