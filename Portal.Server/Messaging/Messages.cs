using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Messaging;

/// <summary>
/// Renders and delivers the messages of a pool. Every message is recorded in the outbox with the caller's
/// unit of work; <see cref="Deliver"/>, called after it is saved, sends them (SMTP, the SMS sender) and
/// records how that went. Codes, passwords and bodies are never logged. The pool's CustomMessage trigger may rewrite a
/// message before it is saved (<see cref="Customize"/>; at the latest before delivery).
/// </summary>
public sealed partial class Messages(PortalDb db, SmtpEmailSender email, ISmsSender sms, UserTriggers triggers, TimeProvider clock, ILogger<Messages> log,
    Testing.MailboxSignal mailbox, UserPools.LogDelivery.LogRecords logs)
{
    /// <summary>What the CustomMessage trigger needs to rewrite a message: its source, the code (or temporary password)
    /// that replaces {####}, and the name that replaces {username}.</summary>
    public sealed record CustomMessageContext(UserPoolStore.Pool Pool, UserRow User, string TriggerSource, string Code, string Username,
        string? ClientId = null, IReadOnlyDictionary<string, string>? ClientMetadata = null);

    sealed record Pending(OutboxMessageRow Row, string? From, string? ReplyTo)
    {
        public CustomMessageContext? Custom { get; set; }
    }

    readonly List<Pending> pending = [];

    /// <summary>Sends a code (sign-up, password reset, attribute verification) to a contact attribute of the user.</summary>
    /// <param name="triggerSource">The CustomMessage trigger source (CustomMessage_SignUp, ...); callers that do not say are
    /// attribute updates (AdminUpdateUserAttributes).</param>
    public CodeDeliveryDetailsType SendCode(UserPoolStore.Pool pool, UserRow user, string attributeName, string destination, string code,
        string? triggerSource = null, string? clientId = null, IReadOnlyDictionary<string, string>? clientMetadata = null)
    {
        var message = Templates.Verification(pool.Settings, Channels.Of(attributeName), code, user.Username);
        Queue(pool, destination, message, new CustomMessageContext(pool, user, triggerSource ?? "CustomMessage_UpdateUserAttribute", code,
            user.Username, clientId, clientMetadata));
        return CodeDelivery.For(attributeName, destination);
    }

    /// <summary>Sends a sign-in code (passwordless EMAIL_OTP / SMS_OTP) to the user's verified email or phone number; the
    /// pool's CustomMessage trigger sees it as CustomMessage_Authentication.</summary>
    public CodeDeliveryDetailsType SendAuthenticationCode(UserPoolStore.Pool pool, UserRow user, string attributeName, string destination, string code,
        string? clientId, IReadOnlyDictionary<string, string>? clientMetadata, Message? message = null)
    {
        message ??= Templates.Authentication(pool.Settings, Channels.Of(attributeName), code, user.Username);
        Queue(pool, destination, message, new CustomMessageContext(pool, user, "CustomMessage_Authentication", code, user.Username, clientId, clientMetadata));
        return CodeDelivery.For(attributeName, destination);
    }

    /// <summary>Records a rendered message in the outbox (saved with the caller's unit of work) for delivery; with a
    /// context, the pool's CustomMessage trigger may rewrite it.</summary>
    public OutboxMessageRow Queue(UserPoolStore.Pool? pool, string destination, Message message, CustomMessageContext? custom = null)
    {
        var row = new OutboxMessageRow
        {
            Id = Guid.NewGuid(), UserPoolId = pool?.Row.Id, Channel = message.Channel, Destination = destination,
            Subject = message.Subject, Body = message.Body, CreatedAt = clock.GetUtcNow(),
            // What testing mode's mailbox serves, so a suite never parses bodies: the code (or temporary password) as generated.
            Kind = KindOf(custom?.TriggerSource), Code = custom?.Code, Username = custom?.User.Username, Link = LinkIn(message.Body),
        };
        db.Outbox.Add(row);
        var configuration = pool?.Settings.EmailConfiguration;
        pending.Add(new Pending(row, configuration?.From, configuration?.ReplyToEmailAddress) { Custom = custom });
        return row;
    }

    /// <summary>The mailbox's kind of a message, from the CustomMessage trigger source that names why it is sent.</summary>
    public static string? KindOf(string? triggerSource) => triggerSource switch
    {
        "CustomMessage_SignUp" or "CustomMessage_ResendCode" => MessageKinds.SignUp,
        "CustomMessage_ForgotPassword" => MessageKinds.ForgotPassword,
        "CustomMessage_UpdateUserAttribute" or "CustomMessage_VerifyUserAttribute" => MessageKinds.AttributeVerification,
        "CustomMessage_Authentication" => MessageKinds.Mfa,
        "CustomMessage_AdminCreateUser" => MessageKinds.Invitation,
        _ => null,
    };

    static string? LinkIn(string body) => LinkPattern().Match(body) is { Success: true } m ? m.Value.TrimEnd('.', ',', ')', '"', '\'') : null;

    [System.Text.RegularExpressions.GeneratedRegex("https?://[^\\s<>\"']+")]
    private static partial System.Text.RegularExpressions.Regex LinkPattern();

    /// <summary>Runs the pool's CustomMessage trigger on the queued messages, once each: call it before saving, so a
    /// failing trigger (UserLambdaValidationException) leaves nothing behind. The message the function returns is used
    /// when it carries the code placeholder {####}, as Cognito requires.</summary>
    public async Task Customize(CancellationToken ct)
    {
        foreach (var item in pending.Where(p => p.Custom is not null).ToList())
        {
            var c = item.Custom!;
            item.Custom = null;
            var withUsername = c.TriggerSource == "CustomMessage_AdminCreateUser";
            if (await triggers.CustomMessage(c.Pool, c.TriggerSource, c.User, c.ClientId, withUsername, c.ClientMetadata, ct) is not { } result)
                continue;
            var row = item.Row;
            if (row.Channel == Channels.Sms)
            {
                if (result.SmsMessage is { } text && text.Contains("{####}")) row.Body = Templates.Render(text, c.Code, c.Username);
            }
            else
            {
                if (result.EmailMessage is { } body && body.Contains("{####}")) row.Body = Templates.Render(body, c.Code, c.Username);
                if (result.EmailSubject is { } subject) row.Subject = Templates.Render(subject, c.Code, c.Username);
            }
        }
    }

    /// <summary>Sends what was queued, once the caller has saved its work; a failed delivery is recorded, not thrown.
    /// The caller's token is not observed: its work is committed, so the messages go even if its client has gone.</summary>
    public async Task Deliver(CancellationToken ct)
    {
        if (pending.Count == 0) return;
        // Inside an operation, once it is committed: a rolled-back operation sends nothing, and no lock is held meanwhile.
        await db.Work.AfterCommit(DeliverNow, ct);
    }

    async Task DeliverNow(CancellationToken ct)
    {
        if (pending.Count == 0) return;
        // Committed: testing mode's long polls of this instance look again now.
        mailbox.Pulse();
        if (pending.Any(p => p.Custom is not null))
        {
            try
            {
                // Callers that did not customize before saving: the trigger still shapes what is delivered.
                await Customize(CancellationToken.None);
            }
            catch (CognitoException e)
            {
                log.LogWarning("The CustomMessage trigger failed after the message was recorded; the pool's message is sent: {Reason}", e.Message);
            }
        }
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
                var masked = row.Channel == Channels.Sms ? CodeDelivery.MaskPhone(row.Destination) : CodeDelivery.MaskEmail(row.Destination);
                log.LogWarning("Delivering {Channel} message {MessageId} to {Destination} failed: {Reason}", row.Channel, row.Id, masked, reason);
                // The pool's userNotification log destination hears of it, saved with the delivery status below.
                if (row.UserPoolId is { } poolId) await logs.NotificationFailed(poolId, row.Channel, masked, reason, CancellationToken.None);
            }
        }
        pending.Clear();
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
