using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExCSS;
using Portal.Client.Contract;

namespace Portal.Server.Branding;

/// <summary>One thing wrong with a stylesheet, where it is (1-based line and column; 0 for the whole sheet).</summary>
public sealed record CssProblem(int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}

/// <summary>The hosted UI's custom CSS as Cognito allows it, and stricter: rules for the Cognito <c>*-customizable</c>
/// classes only, presentation properties only, no at-rule, no url() but Portal's own assets, nothing that runs code
/// or closes the page's style element, at most 3 KB. A stylesheet is accepted whole or refused whole; what is stored
/// and served is the parser's re-serialisation, never the text as sent.</summary>
public sealed partial class CssPolicy
{
    /// <summary>Cognito's limit for the classic hosted UI's CSS: 3 KB.</summary>
    public const int MaxBytes = 3 * 1024;

    /// <summary>The selectors Cognito allows (developer guide, "Customizing hosted UI (classic) branding").</summary>
    public static readonly IReadOnlyList<string> Selectors =
    [
        ".background-customizable", ".banner-customizable", ".errorMessage-customizable",
        ".idpButton-customizable", ".idpButton-customizable:hover", ".idpDescription-customizable",
        ".inputField-customizable", ".inputField-customizable:focus", ".label-customizable",
        ".legalText-customizable", ".logo-customizable", ".passwordCheck-valid-customizable",
        ".passwordCheck-notValid-customizable", ".redirect-customizable", ".socialButton-customizable",
        ".submitButton-customizable", ".submitButton-customizable:hover", ".textDescription-customizable",
    ];

    // Cognito documents a few properties per class (labels: font-weight, color; input fields: width, height, color,
    // background-color, border; logo: max-width, max-height, background-color; ...). Portal accepts the same presentation
    // properties on every class: none of them can fetch, run code, or move an element out of its place on the page.
    /// <summary>The properties allowed in every rule.</summary>
    public static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.Ordinal)
    {
        "color", "opacity", "display", "vertical-align", "box-sizing", "box-shadow", "text-shadow",
        "background", "background-color", "background-image", "background-position", "background-repeat", "background-size",
        "font", "font-family", "font-size", "font-weight", "font-style", "font-variant", "line-height", "letter-spacing",
        "text-align", "text-decoration", "text-transform", "text-indent",
        "width", "height", "min-width", "min-height", "max-width", "max-height",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left",
        "border-color", "border-style", "border-width", "border-radius",
        "border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
        "border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
        "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
        "border-top-left-radius", "border-top-right-radius", "border-bottom-right-radius", "border-bottom-left-radius",
        "outline", "outline-color", "outline-style", "outline-width",
    };

    static readonly HashSet<string> Functions = new(StringComparer.Ordinal) { "rgb", "rgba", "hsl", "hsla", "calc", "url" };
    static readonly HashSet<string> UrlProperties = new(StringComparer.Ordinal) { "background", "background-image" };

    /// <summary>Every problem of <paramref name="css"/>, in order, with its line (for the editor, as the operator types).</summary>
    public IReadOnlyList<CssProblem> Check(string? css) => Analyse(css).Problems;

    /// <summary>The re-serialised stylesheet (null when there is none), or an <see cref="InvalidParameterException"/>
    /// naming the first problems and their lines.</summary>
    public string? Sanitize(string? css)
    {
        var (output, problems) = Analyse(css);
        if (problems.Count == 0) return output;
        var shown = string.Join("; ", problems.Take(3));
        throw new InvalidParameterException(problems.Count > 3
            ? $"CSS is not allowed: {shown}; and {problems.Count - 3} more problem(s)."
            : $"CSS is not allowed: {shown}.");
    }

    /// <summary>Whether <paramref name="url"/> names an image of Portal's own asset store.</summary>
    public static bool IsOwnAsset(string url) =>
        url.StartsWith("/assets/", StringComparison.Ordinal) && BlobKeys.IsValid(url["/assets/".Length..]);

    static (string? Output, List<CssProblem> Problems) Analyse(string? css)
    {
        if (string.IsNullOrWhiteSpace(css)) return (null, []);
        var lines = new Lines(css);
        var problems = new List<(int Offset, string Message)>();
        var size = Encoding.UTF8.GetByteCount(css);
        if (size > MaxBytes) problems.Add((-1, string.Create(CultureInfo.InvariantCulture, $"the CSS is {size:N0} bytes; the limit is {MaxBytes:N0} bytes (3 KB)")));
        CheckCharacters(css, problems);
        var clean = WithoutComments(css, problems);
        var rules = Scan(clean, problems);
        var parser = new StylesheetParser();
        foreach (var rule in rules) CheckRule(rule, parser, problems);

        string? output = null;
        if (problems.Count == 0)
        {
            var sheet = parser.Parse(clean);
            if (SafetyProblem(sheet, rules.Count) is { } unsafeOutput) problems.Add((-1, unsafeOutput));
            else output = sheet.ToCss();
        }
        return (output, problems
            .OrderBy(p => p.Offset)
            .Select(p => p.Offset < 0 ? new CssProblem(0, 0, p.Message) : new CssProblem(lines.Line(p.Offset), lines.Column(p.Offset), p.Message))
            .ToList());
    }

    // ---- characters -------------------------------------------------------------------------------------------------

    /// <summary>Characters refused wherever they are, even in strings and comments: each reported once, where first seen.</summary>
    static void CheckCharacters(string css, List<(int, string)> problems)
    {
        var closeStyle = css.IndexOf("</style", StringComparison.OrdinalIgnoreCase);
        if (closeStyle >= 0) problems.Add((closeStyle, "'</style' is not allowed: it would end the page's style element"));
        var lt = css.IndexOf('<');
        if (lt >= 0 && lt != closeStyle) problems.Add((lt, "'<' is not allowed anywhere in the CSS"));
        var backslash = css.IndexOf('\\');
        if (backslash >= 0) problems.Add((backslash, "escapes ('\\') are not allowed: write characters as they are"));
        for (var i = 0; i < css.Length; i++)
            if (css[i] is < ' ' and not ('\t' or '\n' or '\r' or '\f') or '\u007F')
            {
                problems.Add((i, $"control character U+{(int)css[i]:X4} is not allowed"));
                break;
            }
    }

    /// <summary>The text with comments blanked (line breaks kept, so offsets and lines stay true); strings kept whole.</summary>
    static string WithoutComments(string css, List<(int, string)> problems)
    {
        var text = css.ToCharArray();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '"' or '\'')
            {
                var end = StringEnd(css, i);
                if (end < 0)
                {
                    problems.Add((i, "a string is not closed on its line"));
                    return new string(text);
                }
                i = end;
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) problems.Add((i, "a comment is not closed: '*/' is missing"));
                var stop = end < 0 ? text.Length : end + 2;
                for (var j = i; j < stop; j++) if (text[j] is not ('\n' or '\r')) text[j] = ' ';
                i = stop - 1;
            }
        }
        return new string(text);
    }

    /// <summary>The index of the quote closing the string opened at <paramref name="start"/>, or -1 (CSS strings end at a line break).</summary>
    static int StringEnd(string s, int start)
    {
        for (var i = start + 1; i < s.Length; i++)
        {
            if (s[i] == s[start]) return i;
            if (s[i] is '\n' or '\r' or '\f') return -1;
        }
        return -1;
    }

    // ---- structure --------------------------------------------------------------------------------------------------

    sealed record Declaration(string Name, string Value, bool Important, int Offset);
    sealed record Rule(string Prelude, int Offset, List<Declaration> Declarations);

    /// <summary>Reads the sheet as a sequence of <c>selectors { declarations }</c>; anything else is a problem with its place.
    /// The CSS parser is tolerant (it drops what it cannot read), so the structure is checked here, where the input is
    /// refused instead of silently changed.</summary>
    static List<Rule> Scan(string s, List<(int, string)> problems)
    {
        var rules = new List<Rule>();
        var i = 0;
        while (true)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i >= s.Length) break;
            var start = i;
            switch (s[i])
            {
                case '@':
                    var name = AtRuleName().Match(s, i).Value;
                    problems.Add((i, $"the at-rule {name} is not allowed: only rules for the Cognito classes are"));
                    i = SkipAtRule(s, i);
                    continue;
                case '}':
                    problems.Add((i, "unbalanced '}': no rule is open"));
                    while (i < s.Length && (s[i] == '}' || char.IsWhiteSpace(s[i]))) i++;
                    continue;
                case ';':
                    problems.Add((i, "unexpected ';' outside a rule"));
                    i++;
                    continue;
            }
            var brace = Find(s, i, "{;}");
            if (brace < 0 || s[brace] != '{')
            {
                var snippet = Snippet(s[start..(brace < 0 ? s.Length : brace)]);
                problems.Add((start, brace < 0
                    ? $"'{snippet}' is not a rule: a selector must be followed by {{ declarations }}"
                    : $"'{snippet}' is not a rule: expected '{{' before '{s[brace]}'"));
                if (brace < 0) break;
                i = brace + 1;
                continue;
            }
            var close = Find(s, brace + 1, "{}");
            if (close >= 0 && s[close] == '{')
            {
                problems.Add((close, "nested blocks are not allowed"));
                i = SkipBlock(s, brace);
                continue;
            }
            var prelude = s[start..brace].Trim();
            if (close < 0)
            {
                problems.Add((start, $"the rule '{Snippet(prelude)}' is not closed: '}}' is missing"));
                break;
            }
            if (prelude.Length == 0) problems.Add((brace, "a block without a selector"));
            rules.Add(new Rule(prelude, start, Declarations(s, brace + 1, close, problems)));
            i = close + 1;
        }
        return rules;
    }

    static List<Declaration> Declarations(string s, int from, int to, List<(int, string)> problems)
    {
        var list = new List<Declaration>();
        int start = from, depth = 0;
        for (var i = from; i <= to; i++)
        {
            if (i < to && s[i] is '"' or '\'') { i = Math.Max(StringEnd(s, i), i); continue; }
            if (i < to && s[i] == '(') depth++;
            else if (i < to && s[i] == ')' && depth > 0) depth--;
            if (i < to && (s[i] != ';' || depth > 0)) continue;
            var raw = s[start..i];
            var offset = start + (raw.Length - raw.TrimStart().Length);
            start = i + 1;
            var text = raw.Trim();
            if (text.Length == 0) continue;
            var colon = text.IndexOf(':');
            if (colon <= 0)
            {
                problems.Add((offset, $"'{Snippet(text)}' is not a declaration: expected 'property: value'"));
                continue;
            }
            var name = text[..colon].Trim();
            var value = text[(colon + 1)..].Trim();
            var important = Important().Match(value);
            if (important.Success) value = value[..important.Index].TrimEnd();
            if (!PropertyName().IsMatch(name)) problems.Add((offset, $"'{Snippet(name)}' is not a property name"));
            else if (value.Length == 0) problems.Add((offset, $"the property '{name}' has no value"));
            else if (!Balanced(value)) problems.Add((offset, $"unbalanced parentheses in the value of '{name}'"));
            else list.Add(new Declaration(name, value, important.Success, offset));
        }
        return list;
    }

    // ---- rules ------------------------------------------------------------------------------------------------------

    static void CheckRule(Rule rule, StylesheetParser parser, List<(int, string)> problems)
    {
        var selectors = rule.Prelude.Split(',').Select(x => Whitespace().Replace(x.Trim(), " ")).ToList();
        foreach (var selector in selectors)
        {
            if (selector.Length == 0) problems.Add((rule.Offset, "an empty selector in a selector list"));
            else if (!Selectors.Contains(selector))
            {
                var near = Selectors.FirstOrDefault(x => x.Equals(selector, StringComparison.OrdinalIgnoreCase));
                problems.Add((rule.Offset, near is null
                    ? $"the selector '{Snippet(selector)}' is not allowed: use the Cognito classes (.submitButton-customizable, .label-customizable, ...)"
                    : $"the selector '{selector}' is not allowed: class names are case-sensitive, did you mean '{near}'?"));
            }
        }
        foreach (var d in rule.Declarations)
        {
            var name = d.Name.ToLowerInvariant();
            if (name is "behavior" or "-moz-binding")
            {
                problems.Add((d.Offset, $"the property '{d.Name}' is not allowed: it loads code into the page"));
                continue;
            }
            if (!Properties.Contains(name))
            {
                problems.Add((d.Offset, $"the property '{d.Name}' is not allowed in {selectors[0]}"));
                continue;
            }
            if (ValueProblem(name, d.Value) is { } problem)
            {
                problems.Add((d.Offset, problem));
                continue;
            }
            // The parser drops a declaration whose value it cannot read: one alone in a rule tells whether it is valid.
            var probe = parser.Parse($".x{{{name}:{d.Value}{(d.Important ? " !important" : "")}}}");
            if (!probe.StyleRules.Any(r => r.Style.Declarations.Any()))
                problems.Add((d.Offset, $"'{Snippet(d.Value)}' is not a valid value for '{d.Name}'"));
        }
    }

    static string? ValueProblem(string property, string value)
    {
        var lower = value.ToLowerInvariant();
        if (lower.Contains("javascript:") || lower.Contains("vbscript:")) return $"'javascript:' is not allowed (in '{property}')";
        foreach (Match f in Function().Matches(value))
        {
            var name = f.Groups[1].Value.ToLowerInvariant();
            if (name == "expression") return $"expression() is not allowed (in '{property}'): it runs script";
            if (!Functions.Contains(name)) return $"the function {name}() is not allowed (in '{property}')";
        }
        foreach (Match u in Url().Matches(value))
        {
            var target = u.Groups["target"].Value.Trim();
            if (!UrlProperties.Contains(property)) return $"url() is only allowed in background-image, not in '{property}'";
            if (!IsOwnAsset(target))
                return $"url({Snippet(target)}) is not allowed: only images of Portal's asset store (url(/assets/...)) are";
        }
        return null;
    }

    /// <summary>A last look at what will be served, as the parser writes it back.</summary>
    static string? SafetyProblem(Stylesheet sheet, int expectedRules)
    {
        var children = sheet.Children.ToList();
        if (children.Count != expectedRules || children.Any(c => c is not StyleRule))
            return "the CSS could not be read as rules of the Cognito classes";
        foreach (var rule in children.Cast<StyleRule>())
        {
            var selectors = rule.Selector is ListSelector list ? list.Select(x => x.Text) : [rule.Selector.Text];
            if (selectors.Any(x => !Selectors.Contains(x))) return $"the selector '{rule.SelectorText}' is not allowed";
            foreach (var p in rule.Style.Declarations)
                // A shorthand comes back as its longhands (padding → padding-top, text-decoration → text-decoration-line).
                if (!Properties.Contains(p.Name) && !Properties.Any(s => p.Name.StartsWith(s + "-", StringComparison.Ordinal)))
                    return $"the property '{p.Name}' is not allowed";
        }
        var text = sheet.ToCss();
        if (text.Contains('<')) return "'<' is not allowed anywhere in the CSS";
        foreach (Match u in Url().Matches(text))
            if (!IsOwnAsset(u.Groups["target"].Value.Trim())) return "url() is only allowed for Portal's own assets";
        return null;
    }

    // ---- scanning helpers -------------------------------------------------------------------------------------------

    /// <summary>The first of <paramref name="chars"/> at or after <paramref name="from"/> outside strings and parentheses, or -1.</summary>
    static int Find(string s, int from, string chars)
    {
        var depth = 0;
        for (var i = from; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '"' or '\'') { i = Math.Max(StringEnd(s, i), i); continue; }
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (depth == 0 && chars.Contains(c)) return i;
        }
        return -1;
    }

    static int SkipBlock(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] is '"' or '\'') { i = Math.Max(StringEnd(s, i), i); continue; }
            if (s[i] == '{') depth++;
            else if (s[i] == '}' && --depth == 0) return i + 1;
        }
        return s.Length;
    }

    static int SkipAtRule(string s, int at)
    {
        var end = Find(s, at, "{;");
        return end < 0 ? s.Length : s[end] == ';' ? end + 1 : SkipBlock(s, end);
    }

    static bool Balanced(string value)
    {
        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is '"' or '\'') { i = Math.Max(StringEnd(value, i), i); continue; }
            if (value[i] == '(') depth++;
            else if (value[i] == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    static string Snippet(string text)
    {
        var one = Whitespace().Replace(text.Trim(), " ");
        return one.Length <= 40 ? one : one[..37] + "...";
    }

    sealed class Lines(string text)
    {
        readonly List<int> starts = Starts(text);

        static List<int> Starts(string text)
        {
            var list = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) list.Add(i + 1);
            return list;
        }

        int Index(int offset)
        {
            var found = starts.BinarySearch(offset);
            return found >= 0 ? found : ~found - 1;
        }

        public int Line(int offset) => Index(offset) + 1;
        public int Column(int offset) => offset - starts[Index(offset)] + 1;
    }

    [GeneratedRegex(@"@[A-Za-z0-9_-]*")]
    private static partial Regex AtRuleName();
    [GeneratedRegex(@"^-?[A-Za-z][A-Za-z0-9-]*$")]
    private static partial Regex PropertyName();
    [GeneratedRegex(@"!\s*important\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Important();
    [GeneratedRegex(@"([A-Za-z_-][A-Za-z0-9_-]*)\s*\(")]
    private static partial Regex Function();
    [GeneratedRegex(@"url\(\s*(?:""(?<target>[^""]*)""|'(?<target>[^']*)'|(?<target>[^)""']*))\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
