namespace Portal.Server.HostedUi;

/// <summary>An attribute the sign-up (or new-password) form asks for, from the pool's required attributes.</summary>
public sealed record SignUpAttribute(string Name, string Label, string Type, string? AutoComplete)
{
    public static SignUpAttribute For(string name, Texts texts) => name switch
    {
        "email" => new(name, texts["Email"], "email", "email"),
        "phone_number" => new(name, "Phone number", "tel", "tel"),
        "given_name" => new(name, "Given name", "text", "given-name"),
        "family_name" => new(name, "Family name", "text", "family-name"),
        "name" => new(name, "Name", "text", "name"),
        "birthdate" => new(name, "Birthdate (YYYY-MM-DD)", "text", "bday"),
        "preferred_username" => new(name, "Preferred username", "text", "nickname"),
        _ => new(name, Humanize(name), "text", null),
    };

    static string Humanize(string name)
    {
        var s = name.StartsWith("custom:", StringComparison.Ordinal) ? name[7..] : name;
        s = s.Replace('_', ' ');
        return s.Length == 0 ? name : char.ToUpperInvariant(s[0]) + s[1..];
    }
}
