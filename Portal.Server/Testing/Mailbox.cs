using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Testing;

/// <summary>Wakes this instance's long polls when a message is committed here (Messages.Deliver); other instances'
/// messages are found by polling the store at a short interval.</summary>
public sealed class MailboxSignal
{
    TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>What a mailbox query asks: all filters optional.</summary>
public sealed record MailboxQuery(string? UserPoolId, string? Recipient, string? Kind, string? Channel, DateTimeOffset? Since, int Limit);

/// <summary>One message as the mailbox serves it: in full, with the code and link extracted.</summary>
public sealed record MailboxMessage(string Id, string? UserPoolId, string Channel, string? Kind, string Destination, string? Username,
    string? Subject, string Body, string? Code, string? Link, DateTimeOffset CreatedAt, string DeliveryStatus);

/// <summary>Testing mode's mailbox: every email and SMS Portal sent or would have sent, newest first.</summary>
public sealed class Mailbox(PortalDb db, MailboxSignal signal, TimeProvider clock)
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<IReadOnlyList<MailboxMessage>> List(MailboxQuery q, CancellationToken ct)
    {
        var query = db.Outbox.AsNoTracking().AsQueryable();
        if (q.UserPoolId is { } pool) query = query.Where(m => m.UserPoolId == pool);
        if (q.Kind is { } kind) query = query.Where(m => m.Kind == kind);
        if (q.Channel is { } channel) query = query.Where(m => m.Channel == channel);
        if (q.Recipient is { } recipient)
        {
            var r = recipient.ToLowerInvariant();
#pragma warning disable CA1862, CA1304, CA1311 // translated to SQL lower(); the comparison must run in the database
            query = query.Where(m => m.Destination.ToLower() == r || (m.Username != null && m.Username.ToLower() == r));
#pragma warning restore CA1862, CA1304, CA1311
        }
        if (q.Since is { } since) query = query.Where(m => m.CreatedAt >= since);
        var rows = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(q.Limit).ToListAsync(ct);
        return rows.Select(m => new MailboxMessage(m.Id.ToString(), m.UserPoolId, m.Channel, m.Kind, m.Destination, m.Username, m.Subject, m.Body,
            m.Code, m.Link, m.CreatedAt, m.DeliveryStatus)).ToList();
    }

    /// <summary>The messages matching <paramref name="q"/> once there is at least one, or none after <paramref name="wait"/>.
    /// Without <c>Since</c>, only messages from now on count: the next message.</summary>
    public async Task<IReadOnlyList<MailboxMessage>> Wait(MailboxQuery q, TimeSpan wait, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        q = q with { Since = q.Since ?? started };
        var deadline = started + (wait > MaxWait ? MaxWait : wait);
        while (true)
        {
            // Taken before the query, so a message committed between the query and the wait still wakes it.
            var woken = signal.Next;
            var found = await List(q, ct);
            var left = deadline - clock.GetUtcNow();
            if (found.Count > 0 || left <= TimeSpan.Zero) return found;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var timer = Task.Delay(left < PollInterval ? left : PollInterval, clock, stop.Token);
            await Task.WhenAny(woken, timer);
            await stop.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    public async Task<int> Clear(string? userPoolId, CancellationToken ct) =>
        userPoolId is null
            ? await db.Outbox.ExecuteDeleteAsync(ct)
            : await db.Outbox.Where(m => m.UserPoolId == userPoolId).ExecuteDeleteAsync(ct);
}
