using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Messaging;

/// <summary>
/// Renders and delivers the messages of a pool. Every message is recorded in the outbox with the caller's
/// unit of work; <see cref="Deliver"/>, called after it is saved, sends them (SMTP, the SMS sender) and
/// records how that went. Codes, passwords and bodies are never logged.
/// </summary>
public sealed class Messages(PortalDb db, SmtpEmailSender email, ISmsSender sms, TimeProvider clock, ILogger<Messages> log)
{
    sealed record Pending(OutboxMessageRow Row, string? From, string? ReplyTo);

    readonly List<Pending> pending = [];

    /// <summary>Sends a code (sign-up, password reset, attribute verification) to a contact attribute of the user.</summary>
    public CodeDeliveryDetailsType SendCode(UserPoolStore.Pool pool, UserRow user, string attributeName, string destination, string code)
    {
        var message = Templates.Verification(pool.Settings, Channels.Of(attributeName), code, user.Username);
        Queue(pool, destination, message);
        return CodeDelivery.For(attributeName, destination);
    }

    /// <summary>Records a rendered message in the outbox (saved with the caller's unit of work) for delivery.</summary>
    public OutboxMessageRow Queue(UserPoolStore.Pool? pool, string destination, Message message)
    {
        var row = new OutboxMessageRow
        {
            Id = Guid.NewGuid(), UserPoolId = pool?.Row.Id, Channel = message.Channel, Destination = destination,
            Subject = message.Subject, Body = message.Body, CreatedAt = clock.GetUtcNow(),
        };
        db.Outbox.Add(row);
        var configuration = pool?.Settings.EmailConfiguration;
        pending.Add(new Pending(row, configuration?.From, configuration?.ReplyToEmailAddress));
        return row;
    }

    /// <summary>Sends what was queued, once the caller has saved its work; a failed delivery is recorded, not thrown.
    /// The caller's token is not observed: its work is committed, so the messages go even if its client has gone.</summary>
    public async Task Deliver(CancellationToken ct)
    {
        if (pending.Count == 0) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var (row, from, replyTo) in pending)
        {
            try
            {
                var sent = row.Channel == Channels.Sms
                    ? await sms.Send(row.Destination, row.Body, timeout.Token)
                    : await email.Send(from, replyTo, row.Destination, row.Subject ?? "", row.Body, timeout.Token);
                row.DeliveryStatus = sent ? "Sent" : "Recorded";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var reason = e.Message.Length > 300 ? e.Message[..300] : e.Message;
                row.DeliveryStatus = $"Failed: {reason}";
                log.LogWarning("Delivering {Channel} message {MessageId} to {Destination} failed: {Reason}", row.Channel, row.Id,
                    row.Channel == Channels.Sms ? CodeDelivery.MaskPhone(row.Destination) : CodeDelivery.MaskEmail(row.Destination), reason);
            }
        }
        pending.Clear();
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
