using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>Turns engine errors into text an operator can act on, and finds the form field an error is about.</summary>
public static class CognitoErrors
{
    /// <summary>The engine's message with its error name, e.g. "User does not exist. (UserNotFoundException)".</summary>
    public static string Describe(CognitoException e) => $"{e.Message} ({e.Type})";

    /// <summary>The one of <paramref name="fields"/> the error's <see cref="InvalidParameterException.Member"/> names:
    /// the whole member, else its deepest part that is a field ('emailConfiguration.replyToEmailAddress' → ReplyToEmailAddress,
    /// 'userAttributes.email_verified' → email_verified), compared without case. Null when the error names no member.</summary>
    public static string? FieldOf(CognitoException e, IEnumerable<string> fields)
    {
        if (e is not InvalidParameterException { Member: { Length: > 0 } member }) return null;
        var candidates = fields.ToList();
        if (candidates.FirstOrDefault(f => string.Equals(f, member, StringComparison.OrdinalIgnoreCase)) is { } whole) return whole;
        foreach (var part in member.Split('.').Reverse())
            if (candidates.FirstOrDefault(f => string.Equals(f, part, StringComparison.OrdinalIgnoreCase)) is { } field) return field;
        return null;
    }
}
