using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>The Filter of ListUsers: <c>attribute = "value"</c> (exact) or <c>attribute ^= "value"</c> (starts with),
/// one attribute at a time, quotes inside the value escaped with a backslash.</summary>
public sealed record UserFilter(string Attribute, bool Prefix, string Value)
{
    /// <summary>The attributes Cognito lets ListUsers search; custom attributes are not searchable.</summary>
    public static readonly IReadOnlyList<string> Searchable =
    [
        "username", "email", "phone_number", "name", "given_name", "family_name", "preferred_username",
        "cognito:user_status", "status", "sub",
    ];

    /// <summary>The filter as written canonically (binds pagination tokens to the query that made them).</summary>
    public override string ToString() => $"{Attribute} {(Prefix ? "^=" : "=")} \"{Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    /// <summary>Null for an empty filter (every user); InvalidParameterException as Cognito words it otherwise.</summary>
    public static UserFilter? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var i = 0;
        SkipSpace(text, ref i);
        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '^' or '"')) i++;
        var attribute = text[start..i];
        SkipSpace(text, ref i);
        bool prefix;
        if (i < text.Length && text[i] == '=') { prefix = false; i++; }
        else if (i + 1 < text.Length && text[i] == '^' && text[i + 1] == '=') { prefix = true; i += 2; }
        else throw ParseError();
        if (attribute.Length == 0) throw ParseError();
        SkipSpace(text, ref i);
        if (i >= text.Length || text[i] != '"') throw ParseError();
        i++;
        var value = new System.Text.StringBuilder();
        var closed = false;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '\\' && i < text.Length) value.Append(text[i++]);
            else if (c == '"') { closed = true; break; }
            else value.Append(c);
        }
        if (!closed) throw ParseError();
        SkipSpace(text, ref i);
        if (i != text.Length) throw ParseError();
        if (!Searchable.Contains(attribute)) throw new InvalidParameterException($"Invalid search attribute: {attribute}");
        return new UserFilter(attribute, prefix, value.ToString());
    }

    static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
    }

    static InvalidParameterException ParseError() => new("Error while parsing filter.");
}
