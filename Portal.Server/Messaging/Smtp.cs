using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Portal.Server.Messaging;

/// <summary>The <c>Portal:Smtp</c> section; email is only recorded in the outbox while Host is empty.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    /// <summary>TLS on connect for port 465, STARTTLS otherwise; false sends in the clear (a local relay).</summary>
    public bool UseTls { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "no-reply@portal.local";
}

/// <summary>Sends email over SMTP with MailKit.</summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options)
{
    static readonly System.Text.RegularExpressions.Regex Html = new(@"<\s*[a-zA-Z][^>]*>", System.Text.RegularExpressions.RegexOptions.Compiled);

    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Host);

    /// <summary>Sends one message; false when no SMTP host is configured. Throws when the server refuses it.</summary>
    public async Task<bool> Send(string? from, string? replyTo, string to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        if (!Configured) return false;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(string.IsNullOrWhiteSpace(from) ? o.From : from));
        if (!string.IsNullOrWhiteSpace(replyTo)) message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        // Pool templates may be HTML, as Cognito's email templates allow.
        message.Body = new TextPart(Html.IsMatch(body) ? "html" : "plain") { Text = body };

        using var client = new SmtpClient { Timeout = 15_000 };
        var security = !o.UseTls ? SecureSocketOptions.None : o.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(o.Host!, o.Port, security, ct);
        if (!string.IsNullOrEmpty(o.Username)) await client.AuthenticateAsync(o.Username, o.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
        return true;
    }
}
