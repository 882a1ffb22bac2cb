using System.Text;
using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>The opaque NextToken of Cognito's list operations: the last key of a page, bound to what is listed,
/// so a token from one listing is refused by another (as Cognito refuses foreign tokens).</summary>
public static class PageToken
{
    public static string Next(string listing, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{listing}\n{lastKey}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key after which the page starts; null for the first page.</summary>
    public static string? After(string listing, string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var split = text.IndexOf('\n');
            if (split > 0 && text[..split] == listing) return text[(split + 1)..];
        }
        catch (FormatException) { }
        throw InvalidParameterException.PaginationToken();
    }
}
