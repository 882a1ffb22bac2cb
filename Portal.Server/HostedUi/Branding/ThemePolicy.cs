using System.Text;
using System.Text.RegularExpressions;
using Portal.Client.Contract;

namespace Portal.Server.Branding;

/// <summary>Checks Portal's hosted-UI theme field by field (colours #rrggbb, a font from the safe list, https links,
/// bounded texts) and turns an accepted theme into the CSS custom properties of the hosted UI's base stylesheet.</summary>
public sealed partial class ThemePolicy
{
    public const int MaxCornerRadius = 24;
    public const int MaxPageTitle = 64;
    public const int MaxFooterLinks = 5;
    public const int MaxLinkLabel = 40;
    public const int MaxUrl = 2048;
    public const int MaxHeading = 100;
    public const int MaxDescription = 500;

    /// <summary>Every problem of <paramref name="theme"/>, one sentence each naming the field (for the editor).</summary>
    public IReadOnlyList<string> Check(HostedUiTheme? theme)
    {
        var problems = new List<string>();
        if (theme is null) return problems;
        Color(nameof(theme.PrimaryColor), theme.PrimaryColor, problems);
        Color(nameof(theme.BackgroundColor), theme.BackgroundColor, problems);
        Color(nameof(theme.TextColor), theme.TextColor, problems);
        if (theme.FontFamily is not null && !HostedUiTheme.Fonts.ContainsKey(theme.FontFamily))
            problems.Add($"FontFamily '{theme.FontFamily}' is not one of the safe fonts: {string.Join(", ", HostedUiTheme.Fonts.Keys)}.");
        if (theme.CornerRadius is < 0 or > MaxCornerRadius)
            problems.Add($"CornerRadius must be between 0 and {MaxCornerRadius} pixels, not {theme.CornerRadius}.");
        if (theme.BackgroundImageKey is not null && !BlobKeys.IsValid(theme.BackgroundImageKey))
            problems.Add($"BackgroundImageKey '{theme.BackgroundImageKey}' is not an asset key.");
        Text("PageTitle", theme.PageTitle, 1, MaxPageTitle, multiline: false, problems);
        if (theme.FooterLinks is { } links)
        {
            if (links.Count > MaxFooterLinks) problems.Add($"FooterLinks has {links.Count} links; at most {MaxFooterLinks} are allowed.");
            for (var i = 0; i < links.Count; i++)
            {
                var link = links[i];
                if (link is null) { problems.Add($"FooterLinks[{i}] is empty."); continue; }
                Text($"FooterLinks[{i}].Label", link.Label ?? "", 1, MaxLinkLabel, multiline: false, problems);
                if (HttpsUrlProblem(link.Url) is { } problem) problems.Add($"FooterLinks[{i}].Url {problem}");
            }
        }
        if (theme.Pages is { } pages)
            foreach (var (page, text) in pages)
            {
                if (!HostedUiTheme.PageNames.Contains(page))
                {
                    problems.Add($"Pages has an unknown page '{page}': use {string.Join(", ", HostedUiTheme.PageNames)}.");
                    continue;
                }
                Text($"Pages.{page}.Heading", text?.Heading, 0, MaxHeading, multiline: false, problems);
                Text($"Pages.{page}.Description", text?.Description, 0, MaxDescription, multiline: true, problems);
            }
        if (theme.DefaultLocale is not null && !Locale().IsMatch(theme.DefaultLocale))
            problems.Add($"DefaultLocale '{theme.DefaultLocale}' is not a language tag such as 'en', 'de' or 'pt-BR'.");
        return problems;
    }

    /// <summary>The theme as stored (colours lower-case, texts trimmed), or an <see cref="InvalidParameterException"/>.</summary>
    public HostedUiTheme Normalize(HostedUiTheme? theme)
    {
        var problems = Check(theme);
        if (problems.Count > 0) throw new InvalidParameterException($"The hosted UI theme is not valid: {string.Join(" ", problems)}");
        if (theme is null) return new HostedUiTheme();
        return theme with
        {
            PrimaryColor = theme.PrimaryColor?.ToLowerInvariant(),
            BackgroundColor = theme.BackgroundColor?.ToLowerInvariant(),
            TextColor = theme.TextColor?.ToLowerInvariant(),
            PageTitle = theme.PageTitle?.Trim(),
            FooterLinks = theme.FooterLinks?.Select(l => l with { Label = l.Label!.Trim(), Url = l.Url!.Trim() }).ToList(),
            Pages = theme.Pages?.ToDictionary(p => p.Key, p => new PageText { Heading = p.Value?.Heading?.Trim(), Description = p.Value?.Description?.Trim() }),
        };
    }

    /// <summary>The hosted UI's custom properties (wwwroot/hosted-ui/base.css) for an accepted theme, as a style attribute
    /// value; empty when the theme sets none. Only checked values reach it, so it needs no escaping beyond what Razor does.</summary>
    public string Style(HostedUiTheme? theme)
    {
        if (theme is null) return "";
        var style = new StringBuilder();
        void Add(string name, string? value) { if (value is not null) style.Append(name).Append(": ").Append(value).Append("; "); }
        Add("--portal-primary", Valid(theme.PrimaryColor));
        Add("--portal-background", Valid(theme.BackgroundColor));
        Add("--portal-text", Valid(theme.TextColor));
        Add("--portal-font", theme.FontFamily is not null ? HostedUiTheme.Fonts.GetValueOrDefault(theme.FontFamily) : null);
        Add("--portal-radius", theme.CornerRadius is >= 0 and <= MaxCornerRadius ? $"{theme.CornerRadius}px" : null);
        return style.ToString().TrimEnd();
    }

    static string? Valid(string? color) => color is not null && Hex().IsMatch(color) ? color.ToLowerInvariant() : null;

    static void Color(string field, string? value, List<string> problems)
    {
        if (value is not null && !Hex().IsMatch(value)) problems.Add($"{field} must be a colour written #rrggbb, not '{value}'.");
    }

    static void Text(string field, string? value, int min, int max, bool multiline, List<string> problems)
    {
        if (value is null) return;
        var text = value.Trim();
        if (text.Length < min) problems.Add($"{field} must not be empty.");
        else if (text.Length > max) problems.Add($"{field} is {text.Length} characters; at most {max} are allowed.");
        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r')))
            problems.Add($"{field} contains a control character.");
    }

    /// <summary>Null when <paramref name="url"/> is an absolute https URL with a host and no credentials.</summary>
    public static string? HttpsUrlProblem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "must not be empty.";
        if (url.Length > MaxUrl) return $"is {url.Length} characters; at most {MaxUrl} are allowed.";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            return $"must be an https:// address, not '{(url.Length > 60 ? url[..57] + "..." : url)}'.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "must not contain a user name or password.";
        return null;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Hex();
    [GeneratedRegex("^[a-z]{2,3}(-[A-Z]{2})?$")]
    private static partial Regex Locale();
}
