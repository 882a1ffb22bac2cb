namespace Portal.Server.HostedUi;

/// <summary>What every hosted page needs to draw itself: words, branding, where its links go, and the form's hidden state.</summary>
public sealed record PageModel
{
    public required Texts Texts { get; init; }
    public required string BasePath { get; init; }           // "/{domain}"
    public required string Query { get; init; }              // the OAuth parameters carried from page to page ("?client_id=...")
    public required Branding Branding { get; init; }
    public string? AntiforgeryField { get; init; }
    public string? AntiforgeryToken { get; init; }
    public string? Error { get; init; }                      // a sentence the user can act on
    public string? Info { get; init; }
    public Dictionary<string, string> FieldErrors { get; init; } = [];
    public Dictionary<string, string> Values { get; init; } = [];
    public IReadOnlyList<IdentityProviderButton> Providers { get; init; } = [];
    public PasswordRules? PasswordRules { get; init; }

    public string Link(string page) => $"{BasePath}/{page}{Query}";
    public string Value(string name) => Values.GetValueOrDefault(name, "");
    public string? FieldError(string name) => FieldErrors.GetValueOrDefault(name);
}

public sealed record IdentityProviderButton(string Name, string Href);

public sealed record PasswordRules(int MinimumLength, bool Lower, bool Upper, bool Number, bool Symbol);

/// <summary>The branding of one page: Cognito's customization (CSS, logo) plus Portal's theme.</summary>
public sealed record Branding
{
    public string? LogoUrl { get; init; }
    public string? CustomCssHref { get; init; }
    public string PageTitle { get; init; } = "Sign in";
    public string? ThemeStyle { get; init; }                 // CSS custom properties, already validated
    public IReadOnlyList<(string Label, string Url)> FooterLinks { get; init; } = [];
    public IReadOnlyDictionary<string, string> CustomText { get; init; } = new Dictionary<string, string>();

    public string Text(Texts texts, string key) => CustomText.TryGetValue(key, out var t) && t.Length > 0 ? t : texts[key];

    /// <summary>The operator's description for a page (theme), or null for the page's own.</summary>
    public string? Description(string page) => CustomText.GetValueOrDefault(page + ".description");
}
