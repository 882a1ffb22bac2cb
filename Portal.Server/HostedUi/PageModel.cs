using Microsoft.AspNetCore.Components;

namespace Portal.Server.HostedUi;

/// <summary>What every hosted page needs to draw itself: words, branding, where its links go, the form's antiforgery
/// token and the errors to show. Each page has its own typed model that adds what only that page renders (made from
/// this common part with the record's copy constructor).</summary>
public record PageModel
{
    public required Texts Texts { get; init; }
    public required string BasePath { get; init; }           // "/{domain}"
    public required string Query { get; init; }              // the OAuth parameters carried from page to page ("?client_id=...")
    public required Branding Branding { get; init; }
    public string? AntiforgeryField { get; init; }
    public string? AntiforgeryToken { get; init; }
    public string? Error { get; init; }                      // a sentence the user can act on
    public string? Info { get; init; }
    /// <summary>The error of each form field, by the field's name.</summary>
    public IReadOnlyDictionary<string, string> FieldErrors { get; init; } = new Dictionary<string, string>();
    public PasswordRules? PasswordRules { get; init; }

    public string Link(string page) => $"{BasePath}/{page}{Query}";
    public string? FieldError(string name) => FieldErrors.GetValueOrDefault(name);
}

/// <summary>A hosted page component and the model it renders (its <c>Model</c> parameter).</summary>
public interface IHostedPage<TModel> : IComponent where TModel : PageModel
{
    TModel Model { get; set; }
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

    /// <summary>No pool's branding (the pool is unknown or not the page's business): the page title in the page's language.</summary>
    public static Branding Plain(Texts texts) => new() { PageTitle = texts["SignInTitle"] };

    public string Text(Texts texts, string key) => CustomText.TryGetValue(key, out var t) && t.Length > 0 ? t : texts[key];

    /// <summary>The operator's description for a page (theme), or null for the page's own.</summary>
    public string? Description(string page) => CustomText.GetValueOrDefault(page + ".description");
}
