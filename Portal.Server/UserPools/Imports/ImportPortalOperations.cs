using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Imports;

/// <summary>A job's progress and log lines, oldest first, paged by id.</summary>
sealed class ListUserImportLog(PortalDb db, UserPoolStore pools, UserImportJobs jobs) : IOperation<ListUserImportLogRequest, ListUserImportLogResponse>
{
    public async Task<ListUserImportLogResponse> Handle(ListUserImportLogRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var job = await jobs.Get(pool.Row.Id, request.JobId, ct);
        var scope = $"ListUserImportLog\n{job.JobId}";
        var limit = request.Limit ?? 100;
        var lines = db.Set<UserImportLogRow>().AsNoTracking().Where(l => l.JobId == job.JobId);
        if (PaginationToken.Read(request.NextToken, scope, 1) is [var last])
        {
            if (!long.TryParse(last, out var after)) throw new InvalidParameterException("Invalid pagination token.", "nextToken");
            lines = lines.Where(l => l.Id > after);
        }
        var rows = await lines.OrderBy(l => l.Id).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new ListUserImportLogResponse
        {
            TotalRows = job.TotalRows,
            Uploaded = job.UploadedAt is not null,
            Events = rows.Select(l => new UserImportLogEventType
            {
                LineNumber = l.LineNumber, Username = l.Username, Level = l.Level, Message = l.Message, Timestamp = l.CreatedAt,
            }).ToList(),
            NextToken = more ? PaginationToken.Create(scope, rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null,
        };
    }
}

/// <summary>The portal's upload: the same one-time, conditional store as a PUT to the job's pre-signed URL.</summary>
sealed class UploadUserImportFile(UserPoolStore pools, UserImportJobs jobs, TimeProvider clock)
    : IOperation<UploadUserImportFileRequest, UploadUserImportFileResponse>
{
    public async Task<UploadUserImportFileResponse> Handle(UploadUserImportFileRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var job = await jobs.Get(pool.Row.Id, request.JobId, ct);
        if (System.Text.Encoding.UTF8.GetByteCount(request.CsvFile!) > ImportSetup.MaxFileBytes)
            throw new InvalidParameterException("The file is larger than 100 MB.", "csvFile");
        if (!await jobs.Store(job.UploadToken, request.CsvFile!, clock.GetUtcNow(), ct))
            throw new PreconditionNotMetException("A file was uploaded to this import job already, or it has started.");
        return new UploadUserImportFileResponse();
    }
}
