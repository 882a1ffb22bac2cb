using Portal.Client.Contract;

namespace Portal.Server.Messaging;

/// <summary>CodeDeliveryDetails as Cognito reports them: the destination masked, never in full.</summary>
public static class CodeDelivery
{
    public static CodeDeliveryDetailsType For(string attributeName, string destination) => new()
    {
        AttributeName = attributeName,
        DeliveryMedium = Channels.Of(attributeName),
        Destination = attributeName == "phone_number" ? MaskPhone(destination) : MaskEmail(destination),
    };

    /// <summary>"alice@example.com" → "a***@e***".</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@');
        var local = at > 0 ? email[..at] : email;
        var domain = at >= 0 && at < email.Length - 1 ? email[(at + 1)..] : "";
        return $"{First(local)}***@{First(domain)}***";
    }

    /// <summary>"+15555551234" → "+*******1234": all digits but the last four hidden.</summary>
    public static string MaskPhone(string phone)
    {
        if (phone.Length <= 4) return new string('*', phone.Length);
        var start = phone.StartsWith('+') ? 1 : 0;
        return phone[..start] + new string('*', phone.Length - 4 - start) + phone[^4..];
    }

    static string First(string s) => s.Length > 0 ? s[..1] : "";
}
