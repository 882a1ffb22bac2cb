using System.Net;
using Portal.Client.Contract;

namespace Portal.Client.Components.ThreatProtection;

/// <summary>The notification emails of adaptive authentication as the Threat protection tab edits them
/// (AccountTakeoverRiskConfiguration's NotifyConfiguration): sender, reply-to, the SES identity, and one email per
/// action, each with a subject, an HTML body and a text body that may use Cognito's variables.</summary>
public sealed class NotifyForm
{
    public string? From { get; set; }
    public string? ReplyTo { get; set; }
    public string? SourceArn { get; set; }
    public Dictionary<string, NotifyEmailForm> Emails { get; } = new(StringComparer.Ordinal)
    {
        [Block] = new(), [Mfa] = new(), [NoAction] = new(),
    };

    public const string Block = "Block", Mfa = "Mfa", NoAction = "NoAction";

    /// <summary>The emails in the order the tab shows them, with what each is sent for.</summary>
    public static readonly (string Key, string Title, string When)[] Kinds =
    [
        (Block, "Blocked sign-in", "sent when a sign-in is blocked"),
        (Mfa, "Sign-in with MFA", "sent when a sign-in had to pass MFA"),
        (NoAction, "Allowed sign-in", "sent when a risky sign-in was allowed"),
    ];

    /// <summary>Cognito's variables and the sample values the preview shows for them.</summary>
    public static readonly (string Name, string Sample)[] Variables =
    [
        ("{username}", "dora"),
        ("{device}", "Chrome 131, Linux"),
        ("{city}", "Lyon"),
        ("{country}", "France"),
        ("{ip-address}", "203.0.113.24"),
        ("{login-time}", "2026-12-05 06:30:12 UTC"),
        ("{one-click-link-valid}", "https://auth.example.com/feedback?token=sample&value=valid"),
        ("{one-click-link-invalid}", "https://auth.example.com/feedback?token=sample&value=invalid"),
    ];

    public static NotifyForm Of(NotifyConfigurationType? config)
    {
        var form = new NotifyForm { From = config?.From, ReplyTo = config?.ReplyTo, SourceArn = config?.SourceArn };
        foreach (var (key, email) in new[] { (Block, config?.BlockEmail), (Mfa, config?.MfaEmail), (NoAction, config?.NoActionEmail) })
        {
            var defaults = Defaults(key);
            form.Emails[key] = new NotifyEmailForm
            {
                Subject = email?.Subject ?? defaults.Subject, HtmlBody = email?.HtmlBody ?? defaults.HtmlBody, TextBody = email?.TextBody ?? defaults.TextBody,
            };
        }
        return form;
    }

    /// <summary>The configuration to send: null when no SES identity is given (nothing to send from).</summary>
    public NotifyConfigurationType? ToConfiguration() => string.IsNullOrWhiteSpace(SourceArn) ? null : new NotifyConfigurationType
    {
        From = Blank(From), ReplyTo = Blank(ReplyTo), SourceArn = SourceArn.Trim(),
        BlockEmail = Emails[Block].ToEmail(), MfaEmail = Emails[Mfa].ToEmail(), NoActionEmail = Emails[NoAction].ToEmail(),
    };

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The text with each variable replaced by its sample value (HTML-encoded for an HTML body).</summary>
    public static string Preview(string? template, bool html) =>
        Variables.Aggregate(template ?? "", (text, v) => text.Replace(v.Name, html ? WebUtility.HtmlEncode(v.Sample) : v.Sample, StringComparison.Ordinal));

    /// <summary>Texts in the spirit of Cognito's default notification emails.</summary>
    public static NotifyEmailForm Defaults(string key)
    {
        var (subject, opening) = key switch
        {
            Block => ("Blocked sign-in attempt", "We blocked an unrecognized sign-in to your account with this information:"),
            Mfa => ("New sign-in attempt", "We required you to use multi-factor authentication for the following sign-in attempt:"),
            _ => ("New sign-in attempt", "We observed an unrecognized sign-in to your account with this information:"),
        };
        const string details = "Time: {login-time}\nDevice: {device}\nLocation: {city}, {country}\nIP address: {ip-address}";
        return new NotifyEmailForm
        {
            Subject = subject,
            TextBody = $"Hello {{username}},\n\n{opening}\n\n{details}\n\nIf this sign-in was not by you, change your password and tell us: {{one-click-link-invalid}}\n"
                       + "If this sign-in was by you, you can follow this link: {one-click-link-valid}\n",
            HtmlBody = $"<!DOCTYPE html><html><body><p>Hello {{username}},</p><p>{opening}</p><ul><li>Time: {{login-time}}</li><li>Device: {{device}}</li>"
                       + "<li>Location: {city}, {country}</li><li>IP address: {ip-address}</li></ul>"
                       + "<p>If this sign-in was not by you, change your password and <a href=\"{one-click-link-invalid}\">tell us it wasn't you</a>.</p>"
                       + "<p>If this sign-in was by you, you can <a href=\"{one-click-link-valid}\">tell us it was you</a>.</p></body></html>",
        };
    }
}

public sealed class NotifyEmailForm
{
    public string? Subject { get; set; }
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }

    public NotifyEmailType? ToEmail() => string.IsNullOrWhiteSpace(Subject) ? null : new NotifyEmailType
    {
        Subject = Subject.Trim(),
        HtmlBody = string.IsNullOrWhiteSpace(HtmlBody) ? null : HtmlBody,
        TextBody = string.IsNullOrWhiteSpace(TextBody) ? null : TextBody,
    };
}
