namespace Portal.Server.HostedUi;

/// <summary>An attribute the sign-up (or new-password) form asks for, from the pool's required attributes.</summary>
public sealed record SignUpAttribute(string Name, string Label, string Type, string? AutoComplete)
{
    /// <summary>The standard attributes a form may ask for: the key of their label in <see cref="Texts"/>, input type, autocomplete.</summary>
    static readonly Dictionary<string, (string Label, string Type, string? AutoComplete)> Standard = new(StringComparer.Ordinal)
    {
        ["email"] = ("Email", "email", "email"),
        ["phone_number"] = ("AttrPhoneNumber", "tel", "tel"),
        ["given_name"] = ("AttrGivenName", "text", "given-name"),
        ["family_name"] = ("AttrFamilyName", "text", "family-name"),
        ["middle_name"] = ("AttrMiddleName", "text", null),
        ["name"] = ("AttrName", "text", "name"),
        ["nickname"] = ("AttrNickname", "text", null),
        ["birthdate"] = ("AttrBirthdate", "text", "bday"),
        ["preferred_username"] = ("AttrPreferredUsername", "text", "nickname"),
        ["gender"] = ("AttrGender", "text", null),
        ["address"] = ("AttrAddress", "text", null),
        ["locale"] = ("AttrLocale", "text", null),
        ["zoneinfo"] = ("AttrZoneinfo", "text", null),
        ["website"] = ("AttrWebsite", "text", null),
        ["picture"] = ("AttrPicture", "text", null),
        ["profile"] = ("AttrProfile", "text", null),
    };

    /// <summary>The text keys of the standard attributes' labels (the texts test checks each has every language).</summary>
    public static IEnumerable<string> TextKeys => Standard.Values.Select(s => s.Label);

    public static SignUpAttribute For(string name, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(texts);
        // A custom attribute is labelled with its own name: the operator chose it, Portal has no words for it.
        return Standard.TryGetValue(name, out var s) ? new(name, texts[s.Label], s.Type, s.AutoComplete) : new(name, Humanize(name), "text", null);
    }

    static string Humanize(string name)
    {
        var s = name.StartsWith("custom:", StringComparison.Ordinal) ? name[7..] : name;
        s = s.Replace('_', ' ');
        return s.Length == 0 ? name : char.ToUpperInvariant(s[0]) + s[1..];
    }
}
