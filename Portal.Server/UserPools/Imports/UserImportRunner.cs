using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools.Operations;

namespace Portal.Server.UserPools.Imports;

/// <summary>The <c>Portal:UserImport</c> section.</summary>
public sealed class UserImportOptions
{
    /// <summary>Rows committed per transaction.</summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>How often started jobs are looked for (a start in this instance signals at once).</summary>
    public double PollSeconds { get; set; } = 2;
    /// <summary>A running job whose instance has not moved it for this long is taken over (the instance died).</summary>
    public double StaleSeconds { get; set; } = 60;
}

/// <summary>
/// Runs started user import jobs in the background. An instance takes a job by a conditional update (Pending, or running
/// with a stale heartbeat, becomes InProgress claimed by this instance), so two instances never run one job. The rows go
/// in batches, each batch its users, its log lines and the job's counters and cursor in one transaction, the cursor's move
/// conditional on this instance still holding the job at that cursor; a restart resumes after the last committed batch.
/// Between batches a stop request (Stopping) ends the job as Stopped.
/// </summary>
public sealed class UserImportRunner(IServiceScopeFactory scopes, IOptionsMonitor<UserImportOptions> options, TimeProvider clock,
    ILogger<UserImportRunner> log) : BackgroundService
{
    static readonly string SmsMfa = JsonSerializer.Serialize(new { UserMFASettingList = new[] { "SMS_MFA" }, PreferredMfaSetting = "SMS_MFA" });
    readonly string instance = Guid.NewGuid().ToString("N");
    readonly Wakeup wakeup = new();

    /// <summary>Asks for a round soon (a job was started).</summary>
    public void Signal() => wakeup.Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quiet = new QuietRounds(scopes, async (db, ct) => !await db.Set<UserImportJobRow>().AnyAsync(j => j.Status == UserImportJobStatus.Created
            || j.Status == UserImportJobStatus.Pending || j.Status == UserImportJobStatus.InProgress || j.Status == UserImportJobStatus.Stopping, ct));
        while (!stoppingToken.IsCancellationRequested)
        {
            var period = TimeSpan.FromSeconds(Math.Max(0.05, options.CurrentValue.PollSeconds));
            try
            {
                var woken = await wakeup.Wait(period, clock, stoppingToken);
                // No job that could start, expire or be taken over: only a commit can bring one.
                if (await quiet.Skip(woken, stoppingToken)) continue;
                await Round(stoppingToken);
                await quiet.Ended(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A user import round failed; it runs again.");
            }
        }
    }

    /// <summary>Claims and runs every job that is due; answers how many this instance ran.</summary>
    public async Task<int> Round(CancellationToken ct)
    {
        var ran = 0;
        var now = clock.GetUtcNow();
        var stale = now - TimeSpan.FromSeconds(options.CurrentValue.StaleSeconds);
        List<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await UserImportJobs.Expire(db, now, ct);
            due = await Due(db.Set<UserImportJobRow>(), stale).OrderBy(j => j.CreationDate).Select(j => j.JobId).ToListAsync(ct);
        }
        foreach (var jobId in due)
        {
            if (!await Claim(jobId, stale, ct)) continue;
            ran++;
            try
            {
                await Run(jobId, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                log.LogError(e, "User import job {JobId} failed.", jobId);
                await Finish(jobId, UserImportJobStatus.Failed, "The import stopped on an internal error.", ct);
            }
        }
        return ran;
    }

    static IQueryable<UserImportJobRow> Due(IQueryable<UserImportJobRow> jobs, DateTimeOffset stale) =>
        jobs.Where(j => j.Status == UserImportJobStatus.Pending
                        || ((j.Status == UserImportJobStatus.InProgress || j.Status == UserImportJobStatus.Stopping)
                            && (j.HeartbeatAt == null || j.HeartbeatAt < stale)));

    async Task<bool> Claim(string jobId, DateTimeOffset stale, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var now = clock.GetUtcNow();
        return await Due(db.Set<UserImportJobRow>().Where(j => j.JobId == jobId), stale).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, j => j.Status == UserImportJobStatus.Pending ? UserImportJobStatus.InProgress : j.Status)
            .SetProperty(j => j.ClaimedBy, instance)
            .SetProperty(j => j.HeartbeatAt, now), ct) == 1;
    }

    async Task Run(string jobId, CancellationToken ct)
    {
        string? csv;
        int cursor;
        UserPoolType settings;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var job = await db.Set<UserImportJobRow>().AsNoTracking().FirstAsync(j => j.JobId == jobId, ct);
            (csv, cursor) = (job.Csv, job.NextRow);
            settings = (await scope.ServiceProvider.GetRequiredService<UserPoolStore>().Get(job.UserPoolId, ct)).Settings;
        }
        var records = ImportCsv.Records((csv ?? "").TrimStart('\uFEFF')).ToList();
        if (records.Count == 0)
        {
            await Finish(jobId, UserImportJobStatus.Failed, "The CSV file is empty.", ct);
            return;
        }
        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        if (ImportCsv.CheckHeader(settings, header) is { } bad)
        {
            await Finish(jobId, UserImportJobStatus.Failed, bad, ct);
            return;
        }
        if (settings.AutoVerifiedAttributes is not { Count: > 0 })
        {
            await Finish(jobId, UserImportJobStatus.Failed, "The user pool has no auto verified attributes (email or phone_number).", ct);
            return;
        }
        var rows = records.Skip(1).ToList();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await db.Set<UserImportJobRow>().Where(j => j.JobId == jobId && j.ClaimedBy == instance)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.TotalRows, rows.Count), ct);
            if (cursor == 0) await AddLog(db, jobId, null, null, "INFO", $"The import of {rows.Count} users started.", ct);
        }
        var size = Math.Max(1, options.CurrentValue.BatchSize);
        while (cursor < rows.Count)
        {
            if (await StatusOf(jobId, ct) is not { } status) return;
            if (status == UserImportJobStatus.Stopping)
            {
                await Finish(jobId, UserImportJobStatus.Stopped, "The import job was stopped.", ct);
                return;
            }
            var batch = rows.Skip(cursor).Take(size).ToList();
            if (!await Batch(jobId, settings, header, batch, cursor, ct) && !await BatchRowByRow(jobId, settings, header, batch, cursor, ct))
                return;   // this instance no longer holds the job
            cursor += batch.Count;
        }
        await Finish(jobId, UserImportJobStatus.Succeeded, "Import Job Completed Successfully.", ct);
    }

    async Task<string?> StatusOf(string jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return await db.Set<UserImportJobRow>().Where(j => j.JobId == jobId && j.ClaimedBy == instance).Select(j => j.Status).FirstOrDefaultAsync(ct);
    }

    /// <summary>A batch in one transaction. False when the database refused it (a username or alias taken by another
    /// writer meanwhile: the caller retries row by row) or this instance lost the job.</summary>
    async Task<bool> Batch(string jobId, UserPoolType settings, List<string> header, List<(int Line, List<string> Fields)> batch, int cursor,
        CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var counts = await Import(scope.ServiceProvider, db, jobId, settings, header, batch, ct);
            await db.SaveChangesAsync(ct);
            if (!await Advance(db, jobId, cursor, batch.Count, counts, ct)) return false;
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
    }

    /// <summary>The batch again, one row per transaction: a row the database refuses fails alone.</summary>
    async Task<bool> BatchRowByRow(string jobId, UserPoolType settings, List<string> header, List<(int Line, List<string> Fields)> batch,
        int cursor, CancellationToken ct)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (await Batch(jobId, settings, header, [batch[i]], cursor + i, ct)) continue;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Set<UserImportLogRow>().Add(Log(jobId, batch[i].Line, Username(header, batch[i].Fields), "ERROR",
                "An account with the given username, email or phone number already exists."));
            await db.SaveChangesAsync(ct);
            if (!await Advance(db, jobId, cursor + i, 1, new Counts { Failed = 1 }, ct)) return false;
            await transaction.CommitAsync(ct);
        }
        return true;
    }

    sealed class Counts
    {
        public int Imported, Skipped, Failed;
    }

    async Task<bool> Advance(PortalDb db, string jobId, int cursor, int rows, Counts counts, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.Set<UserImportJobRow>().Where(j => j.JobId == jobId && j.ClaimedBy == instance && j.NextRow == cursor)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.NextRow, cursor + rows)
                .SetProperty(j => j.ImportedUsers, j => j.ImportedUsers + counts.Imported)
                .SetProperty(j => j.SkippedUsers, j => j.SkippedUsers + counts.Skipped)
                .SetProperty(j => j.FailedUsers, j => j.FailedUsers + counts.Failed)
                .SetProperty(j => j.HeartbeatAt, now), ct) == 1;
    }

    /// <summary>Adds the batch's users (RESET_REQUIRED, no password, as Cognito imports them) and a log line for each row
    /// skipped or failed.</summary>
    async Task<Counts> Import(IServiceProvider services, PortalDb db, string jobId, UserPoolType settings, List<string> header,
        List<(int Line, List<string> Fields)> batch, CancellationToken ct)
    {
        var pool = await services.GetRequiredService<UserPoolStore>().Get(await db.Set<UserImportJobRow>().Where(j => j.JobId == jobId)
            .Select(j => j.UserPoolId).FirstAsync(ct), ct);
        var users = services.GetRequiredService<UserStore>();
        var counts = new Counts();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var (line, fields) in batch)
        {
            var given = Username(header, fields);
            var (user, error) = ImportCsv.Read(settings, header, fields);
            if (user is null)
            {
                counts.Failed++;
                db.Set<UserImportLogRow>().Add(Log(jobId, line, given, "ERROR", error!));
                continue;
            }
            var sub = Ids.NewSub();
            try
            {
                var username = AdminCreateUser.SignInName(pool, user.Username, user.Attributes, sub);
                var key = UserStore.Key(pool.Row, username);
                var poolId = pool.Row.Id;
                if (!keys.Add(key) || await db.Users.AnyAsync(u => u.UserPoolId == poolId && u.UsernameKey == key, ct))
                    throw new UsernameExistsException("User account already exists.");
                var row = new UserRow
                {
                    Sub = sub, UserPoolId = poolId, Username = username, UsernameKey = key,
                    Status = UserStatus.ResetRequired, Enabled = true, CreatedAt = now, LastModifiedAt = now,
                };
                UserStore.SetAttributes(row, user.Attributes);
                AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(row));
                await users.ClaimAliases(pool, row, force: false, ct, creating: true);
                foreach (var k in new[] { row.Email?.ToLowerInvariant(), row.PhoneNumber }.OfType<string>())
                    if (!keys.Add("alias\n" + k) && username == sub) throw new UsernameExistsException("User account already exists.");
                if (user.MfaEnabled) row.Mfa = SmsMfa;
                db.Users.Add(row);
                counts.Imported++;
            }
            catch (UsernameExistsException)
            {
                counts.Skipped++;
                db.Set<UserImportLogRow>().Add(Log(jobId, line, given, "SKIPPED", "A user with the same username already exists in the user pool."));
            }
            catch (CognitoException e)
            {
                counts.Failed++;
                db.Set<UserImportLogRow>().Add(Log(jobId, line, given, "ERROR", e.Message));
            }
        }
        return counts;
    }

    static string? Username(List<string> header, List<string> fields)
    {
        var i = header.IndexOf(ImportCsv.UsernameColumn);
        return i >= 0 && i < fields.Count && fields[i].Trim() is { Length: > 0 and <= 128 } name ? name : null;
    }

    UserImportLogRow Log(string jobId, int? line, string? username, string level, string message) => new()
    {
        JobId = jobId, LineNumber = line, Username = username, Level = level, Message = message, CreatedAt = clock.GetUtcNow(),
    };

    async Task AddLog(PortalDb db, string jobId, int? line, string? username, string level, string message, CancellationToken ct)
    {
        db.Set<UserImportLogRow>().Add(Log(jobId, line, username, level, message));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends the job this instance holds: its status, completion date and message, and a last log line.</summary>
    async Task Finish(string jobId, string status, string message, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ended = await db.Set<UserImportJobRow>().Where(j => j.JobId == jobId && j.ClaimedBy == instance)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.CompletionDate, now)
                .SetProperty(j => j.CompletionMessage, message)
                .SetProperty(j => j.ClaimedBy, (string?)null)
                .SetProperty(j => j.HeartbeatAt, now), ct);
        if (ended == 0) return;
        var job = await db.Set<UserImportJobRow>().AsNoTracking().FirstAsync(j => j.JobId == jobId, ct);
        await AddLog(db, jobId, null, null, status == UserImportJobStatus.Failed ? "ERROR" : "INFO",
            $"{message} Imported: {job.ImportedUsers}, skipped: {job.SkippedUsers}, failed: {job.FailedUsers}.", ct);
        await transaction.CommitAsync(ct);
    }
}
