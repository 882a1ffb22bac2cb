using System.Text.RegularExpressions;
using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>Turns engine errors into text an operator can act on, and finds the form field an error is about.</summary>
public static class CognitoErrors
{
    /// <summary>The engine's message with its error name, e.g. "User does not exist. (UserNotFoundException)".</summary>
    public static string Describe(CognitoException e) => $"{e.Message} ({e.Type})";

    /// <summary>The first of <paramref name="fields"/> the message names (as a member like 'groupName' or
    /// 'userAttributes.1.member.value', or as a word like "email"), longest names first so "email_verified" wins over "email".</summary>
    public static string? FieldOf(CognitoException e, IEnumerable<string> fields)
    {
        foreach (var field in fields.OrderByDescending(f => f.Length))
        {
            var camel = field.Length > 0 ? char.ToLowerInvariant(field[0]) + field[1..] : field;
            var pattern = $@"(?<![\w:]){Regex.Escape(camel)}(?![\w])|(?<![\w:]){Regex.Escape(field)}(?![\w])";
            if (Regex.IsMatch(e.Message, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)) return field;
        }
        return null;
    }
}
