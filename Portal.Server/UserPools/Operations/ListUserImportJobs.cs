using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools.Imports;

namespace Portal.Server.UserPools.Operations;

/// <summary>The pool's jobs, newest first, paged by (creation date, job id).</summary>
sealed class ListUserImportJobs(UserPoolStore pools, UserImportJobs jobs) : IOperation<ListUserImportJobsRequest, ListUserImportJobsResponse>
{
    public async Task<ListUserImportJobsResponse> Handle(ListUserImportJobsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var poolId = pool.Row.Id;
        var scope = $"ListUserImportJobs\n{poolId}";
        var limit = request.MaxResults!.Value;
        var query = jobs.Rows.AsNoTracking().Where(j => j.UserPoolId == poolId);
        if (request.PaginationToken is not null)
        {
            if (PaginationToken.Read(request.PaginationToken, scope, 2) is not [var ticks, var lastId] || !long.TryParse(ticks, out var t))
                throw new InvalidParameterException("Invalid pagination token.", "paginationToken");
            var last = new DateTimeOffset(t, TimeSpan.Zero);
            query = query.Where(j => j.CreationDate < last || (j.CreationDate == last && string.Compare(j.JobId, lastId) > 0));
        }
        var rows = await query.OrderByDescending(j => j.CreationDate).ThenBy(j => j.JobId).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new ListUserImportJobsResponse
        {
            UserImportJobs = rows.Select(jobs.ToType).ToList(),
            PaginationToken = more
                ? PaginationToken.Create(scope, rows[^1].CreationDate.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[^1].JobId)
                : null,
        };
    }
}
