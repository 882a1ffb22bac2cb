using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>The branding an operator is editing on the branding page, before it is published: the theme, the CSS and the
/// logo. The page's sections edit it; the page previews and publishes it.</summary>
public sealed class BrandingDraft
{
    public sealed class LinkDraft { public string? Label { get; set; } public string? Url { get; set; } }
    public sealed class TextDraft { public string? Heading { get; set; } public string? Description { get; set; } }

    public string? Primary { get; set; }
    public string? Background { get; set; }
    public string? TextColor { get; set; }
    public string? Font { get; set; }
    public string? PageTitle { get; set; }
    public string? Locale { get; set; }
    public string? Css { get; set; }
    public int? Radius { get; set; }
    public string? BackgroundImageKey { get; set; }
    public List<LinkDraft> Links { get; private set; } = [];
    public Dictionary<string, TextDraft> Texts { get; private set; } = [];

    public byte[]? LogoBytes { get; set; }
    public string? LogoKey { get; set; }
    public string? LogoDataUrl { get; set; }

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    public TextDraft TextOf(string page) => Texts.TryGetValue(page, out var t) ? t : Texts[page] = new TextDraft();

    /// <summary>The CSS's line <paramref name="line"/> (from 1), to show beside a problem found there.</summary>
    public string? LineOf(int line) => Css?.Split('\n') is { } lines && line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r') : null;

    public void ClearLogo()
    {
        LogoBytes = null;
        LogoKey = null;
        LogoDataUrl = null;
    }

    /// <summary>Takes the theme as published.</summary>
    public void Fill(HostedUiTheme theme)
    {
        Primary = theme.PrimaryColor;
        Background = theme.BackgroundColor;
        TextColor = theme.TextColor;
        Font = theme.FontFamily;
        Radius = theme.CornerRadius;
        PageTitle = theme.PageTitle;
        Locale = theme.DefaultLocale;
        BackgroundImageKey = theme.BackgroundImageKey;
        Links = (theme.FooterLinks ?? []).Select(l => new LinkDraft { Label = l.Label, Url = l.Url }).ToList();
        Texts = (theme.Pages ?? []).ToDictionary(p => p.Key, p => new TextDraft { Heading = p.Value?.Heading, Description = p.Value?.Description });
    }

    /// <summary>The theme as SetHostedUiTheme and CreateBrandingPreview take it: blanks left out.</summary>
    public HostedUiTheme Theme() => new()
    {
        PrimaryColor = Blank(Primary), BackgroundColor = Blank(Background), TextColor = Blank(TextColor), FontFamily = Blank(Font),
        CornerRadius = Radius, PageTitle = Blank(PageTitle), DefaultLocale = Blank(Locale), BackgroundImageKey = BackgroundImageKey,
        FooterLinks = Links.Count == 0 ? null : Links.Select(l => new FooterLink { Label = l.Label?.Trim() ?? "", Url = l.Url?.Trim() ?? "" }).ToList(),
        Pages = Texts.Where(t => !string.IsNullOrWhiteSpace(t.Value.Heading) || !string.IsNullOrWhiteSpace(t.Value.Description))
            .ToDictionary(t => t.Key, t => new PageText { Heading = Blank(t.Value.Heading), Description = Blank(t.Value.Description) }) is { Count: > 0 } pages ? pages : null,
    };
}
