using System.Text;
using Portal.Client.Contract;

namespace Portal.Server.UserPools.Imports;

/// <summary>Cognito's user import CSV: the header GetCSVHeader gives (the pool's attributes, minus sub and identities, then
/// <c>cognito:mfa_enabled</c> and <c>cognito:username</c>), and each row checked as Cognito checks it.</summary>
public static class ImportCsv
{
    public const string UsernameColumn = "cognito:username";
    public const string MfaColumn = "cognito:mfa_enabled";

    /// <summary>The pool's header, in Cognito's order: its standard attributes, its custom ones, then the two cognito: columns.</summary>
    public static List<string> Header(UserPoolType pool) =>
        (pool.SchemaAttributes ?? Schema.Standard.ToList())
            .Select(a => a.Name!)
            .Where(n => n is not ("sub" or "identities") && !n.StartsWith("dev:", StringComparison.Ordinal))
            .Append(MfaColumn).Append(UsernameColumn).ToList();

    /// <summary>RFC 4180 records: fields separated by commas, quoted fields may hold commas, quotes ("") and line breaks.
    /// Answers each record with the file line it starts on.</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Records(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, start, quoted, any) = (1, 1, false, false);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    if (any || fields.Count > 1 || fields[0].Length > 0) yield return (start, fields);
                    fields = [];
                    (any, line) = (false, line + 1);
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        fields.Add(field.ToString());
        if (any || fields.Count > 1 || fields[0].Length > 0) yield return (start, fields);
    }

    /// <summary>Why the header cannot be imported into the pool, or null when it can.</summary>
    public static string? CheckHeader(UserPoolType pool, IReadOnlyList<string> header)
    {
        var known = Header(pool).ToHashSet(StringComparer.Ordinal);
        foreach (var column in header)
            if (!known.Contains(column)) return $"The header contains {column}, which is not an attribute of the user pool.";
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Count) return "The header names a column twice.";
        foreach (var required in new[] { UsernameColumn, MfaColumn })
            if (!header.Contains(required)) return $"The header is missing the required column {required}.";
        return null;
    }

    /// <summary>One row as a user to create: the sign-in name given, the attributes and whether SMS MFA is on; or why it fails.</summary>
    public sealed record ImportedUser(string Username, Dictionary<string, string?> Attributes, bool MfaEnabled);

    public static (ImportedUser? User, string? Error) Read(UserPoolType pool, IReadOnlyList<string> header, IReadOnlyList<string> fields)
    {
        if (fields.Count != header.Count)
            return (null, $"The User Record has {fields.Count} columns where the header has {header.Count}.");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        string username = "", mfa = "";
        for (var i = 0; i < header.Count; i++)
        {
            var value = fields[i].Trim();
            if (header[i] == UsernameColumn) username = value;
            else if (header[i] == MfaColumn) mfa = value.ToLowerInvariant();
            else if (value.Length > 0) values[header[i]] = header[i].EndsWith("_verified", StringComparison.Ordinal) ? value.ToLowerInvariant() : value;
        }
        if (username.Length == 0) return (null, "The User Record does not set cognito:username.");
        if (username.Length > 128) return (null, "The cognito:username is longer than 128 characters.");
        if (mfa is not ("true" or "false")) return (null, "The User Record must set cognito:mfa_enabled to true or false.");
        var autoVerified = pool.AutoVerifiedAttributes ?? [];
        var verified = autoVerified.Where(a => values.GetValueOrDefault(a + "_verified") == "true").ToList();
        if (verified.Count == 0)
            return (null, "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).");
        foreach (var attribute in new[] { "email", "phone_number" })
            if (values.GetValueOrDefault(attribute + "_verified") == "true" && string.IsNullOrEmpty(values.GetValueOrDefault(attribute)))
                return (null, $"The User Record sets {attribute}_verified to true but has no {attribute}.");
        if (mfa == "true" && string.IsNullOrEmpty(values.GetValueOrDefault("phone_number")))
            return (null, "The User Record sets cognito:mfa_enabled to true but has no phone_number.");
        try
        {
            AttributeRules.CheckWritable(pool, values.Select(v => new AttributeType { Name = v.Key, Value = v.Value }), creating: true);
        }
        catch (InvalidParameterException e)
        {
            return (null, e.Message);
        }
        return (new ImportedUser(username, values, mfa == "true"), null);
    }
}
