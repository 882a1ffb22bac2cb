using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.ThreatProtection;

/// <summary>
/// The email adaptive authentication sends when the risk level's action says Notify: the NotifyConfiguration's BlockEmail,
/// MfaEmail or NoActionEmail (Portal's own wording when one is not set), from its From / ReplyTo, through Portal's SMTP
/// delivery, with Cognito's template variables {username}, {device}, {city}, {country}, {ip-address}, {login-time},
/// {one-click-link-valid} and {one-click-link-invalid}. The links go to Portal's public URL (never a request's Host), at
/// <see cref="FeedbackEndpoint"/>, carrying the event's feedback token: 32 random bytes, of which only the SHA-256 is
/// kept on the event, good for <see cref="TokenLifetime"/> and once.
/// </summary>
public sealed class RiskNotifications(PortalDb db, RiskConfigurations configurations, SmtpEmailSender smtp, IOptions<PortalOptions> portal,
    TimeProvider clock, ILogger<RiskNotifications> log)
{
    public const string Block = "BLOCK";
    public const string Mfa = "MFA";
    public const string NoAction = "NO_ACTION";

    /// <summary>How long the links of a notification work.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(7);

    /// <summary>Queues the notification of this event: sent once the operation commits, or (a blocked sign-in) once it has
    /// failed. Nothing when the configuration has no NotifyConfiguration or the user no email.</summary>
    public async Task Send(UserPoolStore.Pool pool, string? clientId, UserRow user, AuthEventRow row, string kind, bool failed, CancellationToken ct)
    {
        var notify = (await configurations.Effective(pool.Row.Id, clientId, ct))?.AccountTakeoverRiskConfiguration?.NotifyConfiguration;
        if (notify is null || !UserStore.Attributes(user).TryGetValue("email", out var email) || string.IsNullOrWhiteSpace(email)) return;
        var template = kind switch { Block => notify.BlockEmail, Mfa => notify.MfaEmail, _ => notify.NoActionEmail } ?? Default(kind);

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        row.FeedbackTokenHash = TokenHash(token);
        row.FeedbackTokenExpiresAt = clock.GetUtcNow() + TokenLifetime;
        var link = $"{portal.Value.PublicBaseUrl!.TrimEnd('/')}{FeedbackEndpoint.Path}?pool={Uri.EscapeDataString(pool.Row.Id)}"
                   + $"&username={Uri.EscapeDataString(user.Username)}&event={Uri.EscapeDataString(row.EventId)}&token={token}";
        var html = template.HtmlBody is not null;
        var values = new Dictionary<string, string>
        {
            ["{username}"] = user.Username, ["{device}"] = row.DeviceName ?? "an unknown device", ["{city}"] = "unknown city",
            ["{country}"] = "unknown country", ["{ip-address}"] = row.IpAddress ?? "an unknown address",
            ["{login-time}"] = row.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["{one-click-link-valid}"] = link + "&value=Valid", ["{one-click-link-invalid}"] = link + "&value=Invalid",
        };
        var body = Render(template.HtmlBody ?? template.TextBody ?? "", values, html);
        var subject = Render(template.Subject ?? "Sign-in activity", values, false);
        var (from, replyTo) = (notify.From, notify.ReplyTo);
        var id = row.EventId;
        async Task Deliver(CancellationToken c)
        {
            try
            {
                await smtp.Send(from, replyTo, email, subject, body, c);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning("The risk notification of auth event {EventId} was not delivered: {Reason}", id, e.Message);
            }
        }
        if (failed) db.Work.IfFailed(Deliver);
        else await db.Work.AfterCommit(Deliver, ct);
    }

    public static string TokenHash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static string Render(string template, Dictionary<string, string> values, bool html)
    {
        var text = new StringBuilder(template);
        foreach (var (name, value) in values) text.Replace(name, html ? WebUtility.HtmlEncode(value) : value);
        return text.ToString();
    }

    static NotifyEmailType Default(string kind) => new()
    {
        Subject = kind == Block ? "Blocked sign-in attempt" : "New sign-in activity",
        TextBody = (kind switch
        {
            Block => "We blocked an unrecognized sign-in to your account {username} from {device} at {ip-address} on {login-time}.",
            Mfa => "We asked for a second factor when your account {username} signed in from {device} at {ip-address} on {login-time}.",
            _ => "Your account {username} signed in from {device} at {ip-address} on {login-time}.",
        }) + "\n\nIf this was you, confirm it: {one-click-link-valid}\nIf this was not you, tell us: {one-click-link-invalid}\n",
    };
}
