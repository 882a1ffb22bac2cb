using System.Text.Json;
using Portal.Client.Contract.Iam;

namespace Portal.Server.Iam.Policies;

/// <summary>Where a policy document is used, which decides the fields IAM allows in it.</summary>
public enum PolicyKind
{
    /// <summary>An identity policy (a role's inline policy) or a session policy: no Principal, Resource required.</summary>
    Identity,
    /// <summary>A role's trust policy (AssumeRolePolicyDocument): Principal required, no Resource.</summary>
    Trust,
    /// <summary>A resource policy (a bucket policy): Principal and Resource required.</summary>
    Resource,
}

public enum Effect { Allow, Deny }

/// <summary>A Principal or NotPrincipal element: "*" or, per type (AWS, Federated, Service, CanonicalUser), its ids.</summary>
public sealed record PrincipalSet(bool Any, IReadOnlyDictionary<string, IReadOnlyList<string>> ByType);

/// <summary>One condition of a statement: operator (e.g. StringLike), its set qualifier and IfExists, the key and the
/// policy's values (matched with OR).</summary>
public sealed record Condition(string Operator, ConditionOperator Kind, SetQualifier Set, bool IfExists, string Key, IReadOnlyList<string> Values);

public enum SetQualifier { None, ForAnyValue, ForAllValues }

public sealed record Statement(
    int Index,
    string? Sid,
    Effect Effect,
    PrincipalSet? Principal,
    PrincipalSet? NotPrincipal,
    IReadOnlyList<string>? Action,
    IReadOnlyList<string>? NotAction,
    IReadOnlyList<string>? Resource,
    IReadOnlyList<string>? NotResource,
    IReadOnlyList<Condition> Conditions)
{
    /// <summary>Where the statement's object starts in the policy text (a character offset), -1 when unknown.</summary>
    public int Start { get; init; } = -1;

    /// <summary>The character offset just past the statement's closing brace, -1 when unknown.</summary>
    public int End { get; init; } = -1;
}

/// <summary>A line and column in a policy's text, both counted from 1 (IAM's simulator's Position shape).</summary>
public readonly record struct TextPosition(int Line, int Column);

/// <summary>A parsed IAM policy document, validated as IAM validates it (<see cref="MalformedPolicyDocumentException"/>).
/// Parse once, evaluate many times with <see cref="PolicyEvaluator"/>.</summary>
public sealed record PolicyDocument(string Version, string? Id, IReadOnlyList<Statement> Statements)
{
    public const string CurrentVersion = "2012-10-17";
    static readonly string[] Versions = [CurrentVersion, "2008-10-17"];
    static readonly string[] StatementFields = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
    static readonly string[] PrincipalTypes = ["AWS", "Federated", "Service", "CanonicalUser"];

    /// <summary>Parses and validates <paramref name="json"/>; throws MalformedPolicyDocumentException as IAM words it.</summary>
    public static PolicyDocument Parse(string json, PolicyKind kind)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            throw Malformed("This policy contains invalid Json");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Malformed("This policy contains invalid Json");
            string? version = null, id = null;
            JsonElement? statements = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "Version":
                        version = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : throw Malformed("Syntax errors in policy.");
                        break;
                    case "Id":
                        id = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : throw Malformed("Syntax errors in policy.");
                        break;
                    case "Statement":
                        statements = p.Value;
                        break;
                    default:
                        throw Malformed($"Syntax errors in policy. Unknown field {p.Name}");
                }
            }
            if (version is not null && !Versions.Contains(version)) throw Malformed("The policy failed legacy parsing");
            if (statements is not { } s) throw Malformed("Syntax errors in policy. Missing required field Statement");
            var list = new List<Statement>();
            if (s.ValueKind == JsonValueKind.Object) list.Add(ParseStatement(s, 0, kind));
            else if (s.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var e in s.EnumerateArray()) list.Add(ParseStatement(e, i++, kind));
            }
            else throw Malformed("Syntax errors in policy.");
            if (list.Count == 0) throw Malformed("Syntax errors in policy. Missing required field Statement");
            var sids = list.Where(x => x.Sid is not null).GroupBy(x => x.Sid, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (sids is not null) throw Malformed("Statement IDs (SID) in a single policy must be unique.");
            var spans = StatementSpans(json);
            if (spans.Count == list.Count)
                for (var i = 0; i < list.Count; i++) list[i] = list[i] with { Start = spans[i].Start, End = spans[i].End };
            return new PolicyDocument(version ?? "2008-10-17", id, list) { Text = json };
        }
    }

    /// <summary>The text the document was parsed from (positions of statements refer to it).</summary>
    public string? Text { get; init; }

    /// <summary>The line and column (from 1) of a character offset in <see cref="Text"/>.</summary>
    public TextPosition Position(int offset)
    {
        var text = Text ?? "";
        offset = Math.Clamp(offset, 0, text.Length);
        int line = 1, column = 1;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else column++;
        }
        return new TextPosition(line, column);
    }

    /// <summary>The character ranges of the top-level Statement's objects (one object, or each element of the array).</summary>
    static List<(int Start, int End)> StatementSpans(string json)
    {
        var spans = new List<(int, int)>();
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 16 });
        var inStatement = false;
        var statementDepth = -1;
        long start = -1;
        int Chars(long byteOffset) => System.Text.Encoding.UTF8.GetCharCount(bytes, 0, (int)byteOffset);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                    inStatement = reader.ValueTextEquals("Statement");
                    if (inStatement)
                    {
                        spans.Clear();
                        statementDepth = -1;
                    }
                    break;
                case JsonTokenType.StartArray when inStatement && reader.CurrentDepth == 1:
                    statementDepth = 2;
                    break;
                case JsonTokenType.StartObject when inStatement && reader.CurrentDepth == 1:
                    statementDepth = 1;
                    start = reader.TokenStartIndex;
                    break;
                case JsonTokenType.StartObject when inStatement && reader.CurrentDepth == statementDepth:
                    start = reader.TokenStartIndex;
                    break;
                case JsonTokenType.EndObject when inStatement && reader.CurrentDepth == statementDepth && start >= 0:
                    spans.Add((Chars(start), Chars(reader.TokenStartIndex + 1)));
                    start = -1;
                    if (statementDepth == 1) inStatement = false;
                    break;
                case JsonTokenType.EndArray when inStatement && reader.CurrentDepth == 1:
                    inStatement = false;
                    break;
            }
        }
        return spans;
    }

    /// <summary>Whether <paramref name="json"/> is a valid policy of the kind; the IAM message when not.</summary>
    public static bool TryParse(string json, PolicyKind kind, out PolicyDocument? policy, out string? error)
    {
        try
        {
            policy = Parse(json, kind);
            error = null;
            return true;
        }
        catch (MalformedPolicyDocumentException e)
        {
            policy = null;
            error = e.Message;
            return false;
        }
    }

    static Statement ParseStatement(JsonElement e, int index, PolicyKind kind)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Malformed("Syntax errors in policy.");
        string? sid = null;
        Effect? effect = null;
        PrincipalSet? principal = null, notPrincipal = null;
        IReadOnlyList<string>? action = null, notAction = null, resource = null, notResource = null;
        var conditions = new List<Condition>();
        foreach (var p in e.EnumerateObject())
        {
            if (!StatementFields.Contains(p.Name)) throw Malformed($"Syntax errors in policy. Unknown field {p.Name}");
            switch (p.Name)
            {
                case "Sid":
                    sid = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : throw Malformed("Syntax errors in policy.");
                    if (sid!.Length > 0 && !sid.All(char.IsAsciiLetterOrDigit) && kind != PolicyKind.Resource)
                        throw Malformed("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
                    break;
                case "Effect":
                    effect = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() switch
                    {
                        "Allow" => Effect.Allow,
                        "Deny" => Effect.Deny,
                        var x => throw Malformed($"Invalid effect: {x}"),
                    } : throw Malformed("Syntax errors in policy.");
                    break;
                case "Principal": principal = ParsePrincipal(p.Value); break;
                case "NotPrincipal": notPrincipal = ParsePrincipal(p.Value); break;
                case "Action": action = ParseActions(p.Value); break;
                case "NotAction": notAction = ParseActions(p.Value); break;
                case "Resource": resource = Strings(p.Value, "Resource"); break;
                case "NotResource": notResource = Strings(p.Value, "NotResource"); break;
                case "Condition": conditions.AddRange(ParseConditions(p.Value)); break;
            }
        }
        if (effect is null) throw Malformed("Missing required field Effect");
        if (action is null && notAction is null) throw Malformed("Policy statement must contain actions.");
        if (action is not null && notAction is not null) throw Malformed("Syntax errors in policy. Statement has both Action and NotAction");
        if (resource is not null && notResource is not null) throw Malformed("Syntax errors in policy. Statement has both Resource and NotResource");
        if (principal is not null && notPrincipal is not null) throw Malformed("Syntax errors in policy. Statement has both Principal and NotPrincipal");
        switch (kind)
        {
            case PolicyKind.Identity:
                if (principal is not null || notPrincipal is not null) throw Malformed("Policy document should not specify a principal.");
                if (resource is null && notResource is null) throw Malformed("Policy statement must contain resources.");
                break;
            case PolicyKind.Trust:
                if (principal is null && notPrincipal is null) throw Malformed("Missing required field Principal");
                if (resource is not null || notResource is not null) throw Malformed("Has prohibited field Resource");
                break;
            case PolicyKind.Resource:
                if (principal is null && notPrincipal is null) throw Malformed("Missing required field Principal");
                if (resource is null && notResource is null) throw Malformed("Policy statement must contain resources.");
                break;
        }
        return new Statement(index, sid, effect.Value, principal, notPrincipal, action, notAction, resource, notResource, conditions);
    }

    static PrincipalSet ParsePrincipal(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String)
            return e.GetString() == "*" ? new PrincipalSet(true, new Dictionary<string, IReadOnlyList<string>>())
                : throw Malformed($"Invalid principal in policy: \"{e.GetString()}\"");
        if (e.ValueKind != JsonValueKind.Object) throw Malformed("Syntax errors in policy.");
        var byType = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!PrincipalTypes.Contains(p.Name)) throw Malformed($"Invalid principal in policy: \"{p.Name}\"");
            var ids = Strings(p.Value, "Principal");
            foreach (var id in ids)
                if (id.Length == 0) throw Malformed($"Invalid principal in policy: \"{p.Name}\":\"\"");
            byType[p.Name] = ids;
        }
        if (byType.Count == 0) throw Malformed("Invalid principal in policy");
        return new PrincipalSet(false, byType);
    }

    static List<string> ParseActions(JsonElement e)
    {
        var actions = Strings(e, "Action");
        foreach (var a in actions)
        {
            if (a == "*") continue;
            var colon = a.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == a.Length - 1 || a.IndexOf(':', colon + 1) >= 0)
                throw Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            if (!a[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                throw Malformed($"Vendor {a[..colon]} is not valid");
        }
        return actions;
    }

    static List<string> Strings(JsonElement e, string field)
    {
        var list = new List<string>();
        if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString()!);
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray())
                list.Add(x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Malformed($"Syntax errors in policy. {field} must be a string or a list of strings"));
        }
        else throw Malformed($"Syntax errors in policy. {field} must be a string or a list of strings");
        if (list.Count == 0 && field is "Action" or "Resource") throw Malformed($"Policy statement must contain {(field == "Action" ? "actions" : "resources")}.");
        return list;
    }

    static IEnumerable<Condition> ParseConditions(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Malformed("Syntax errors in policy. Condition must be an object");
        var result = new List<Condition>();
        foreach (var op in e.EnumerateObject())
        {
            var (kind, set, ifExists) = ConditionOperators.Parse(op.Name) ?? throw Malformed($"Invalid Condition type : {op.Name}");
            if (op.Value.ValueKind != JsonValueKind.Object) throw Malformed("Syntax errors in policy. Condition must map keys to values");
            foreach (var key in op.Value.EnumerateObject())
            {
                if (key.Name.Length == 0) throw Malformed("Syntax errors in policy. Condition key must not be empty");
                var values = new List<string>();
                if (key.Value.ValueKind == JsonValueKind.Array)
                    foreach (var v in key.Value.EnumerateArray()) values.Add(Scalar(v));
                else values.Add(Scalar(key.Value));
                if (kind == ConditionOperator.Null && values.Any(v => v is not ("true" or "false")))
                    throw Malformed($"Invalid value for Null condition: {string.Join(",", values)}");
                result.Add(new Condition(op.Name, kind, set, ifExists, key.Name, values));
            }
        }
        return result;
    }

    static string Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => v.GetRawText(),
        _ => throw Malformed("Syntax errors in policy. Condition values must be strings, numbers or booleans"),
    };

    static MalformedPolicyDocumentException Malformed(string message) => new(message);
}
