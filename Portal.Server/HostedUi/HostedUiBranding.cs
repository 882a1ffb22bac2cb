using System.Globalization;
using System.Text;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>The look of a hosted page: Cognito's customization (CSS, logo) with its client → ALL fallback, Portal's theme,
/// or an unsaved draft from the portal's live preview (a signed, short-lived token).</summary>
public sealed class HostedUiBranding(UiCustomizationStore store, BrandingPreview previews, ThemePolicy themes)
{
    public sealed record Look(Branding Branding, string? DefaultLocale);

    /// <summary>What one page is drawn with, before it becomes URLs and texts.</summary>
    public sealed record Parts(HostedUiTheme? Theme, string? Css, string? LogoKey, string Version);

    public async Task<Parts> Resolve(UserPoolStore.Pool pool, string? clientId, string? preview, CancellationToken ct)
    {
        if (previews.TryRead(preview) is { } draft && draft.UserPoolId == pool.Row.Id)
            return new Parts(draft.Theme, draft.Css, draft.LogoKey, "preview");
        var key = clientId ?? UiCustomizationStore.All;
        var cognito = await store.Cognito(pool.Row.Id, key, ct);
        var themed = await store.Themed(pool.Row.Id, key, ct);
        var theme = themed is null ? null : UiCustomizationStore.ReadTheme(themed);
        var version = new[] { cognito?.LastModifiedAt, themed?.LastModifiedAt }.Max()?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "0";
        return new Parts(theme, cognito?.Css, cognito?.ImageKey, version);
    }

    public async Task<Look> For(HttpContext http, string domain, UserPoolStore.Pool pool, string? clientId, string? preview, CancellationToken ct)
    {
        var parts = await Resolve(pool, clientId, preview, ct);
        // Only a valid preview token of this pool lets the portal frame the page (its live preview).
        if (parts.Version == "preview") HostedUiHeaders.AllowFramingByPortal(http);
        var hasStyle = parts.Css is not null || parts.Theme is not null;
        var query = $"?client_id={Uri.EscapeDataString(clientId ?? UiCustomizationStore.All)}&v={parts.Version}"
                    + (parts.Version == "preview" ? $"&preview={Uri.EscapeDataString(preview!)}" : "");
        var theme = parts.Theme;
        var texts = new Dictionary<string, string>();
        foreach (var (page, key) in new[] { ("login", "SignInHeading"), ("signup", "SignUpHeading"), ("confirmSignUp", "ConfirmHeading"),
                     ("forgotPassword", "ForgotTitle"), ("confirmForgotPassword", "ConfirmForgotTitle"), ("newPassword", "NewPasswordTitle"), ("mfa", "MfaTitle") })
        {
            if (theme?.Pages?.GetValueOrDefault(page) is not { } text) continue;
            if (!string.IsNullOrWhiteSpace(text.Heading)) texts[key] = text.Heading.Trim();
            if (!string.IsNullOrWhiteSpace(text.Description)) texts[page + ".description"] = text.Description.Trim();
        }
        return new Look(new Branding
        {
            PageTitle = theme?.PageTitle ?? pool.Row.Name,
            CustomCssHref = hasStyle ? $"{HostDomains.BasePath(http, domain)}/ui.css{query}" : null,
            LogoUrl = parts.LogoKey is null ? null : $"/assets/{Uri.EscapeDataString(parts.LogoKey)}",
            FooterLinks = (theme?.FooterLinks ?? []).Where(l => l.Label is not null && l.Url is not null).Select(l => (l.Label!, l.Url!)).ToList(),
            CustomText = texts,
        }, theme?.DefaultLocale);
    }

    /// <summary>The stylesheet a page links: the theme's custom properties, its background image, then the Cognito CSS
    /// (already sanitised when saved or previewed).</summary>
    public async Task<string> Stylesheet(UserPoolStore.Pool pool, string? clientId, string? preview, CancellationToken ct)
    {
        var parts = await Resolve(pool, clientId == UiCustomizationStore.All ? null : clientId, preview, ct);
        var css = new StringBuilder();
        var style = themes.Style(parts.Theme);
        if (style.Length > 0) css.Append(":root { ").Append(style).Append(" }\n");
        if (parts.Theme?.BackgroundImageKey is { } background && BlobKeys.IsValid(background))
            css.Append(CultureInfo.InvariantCulture, $".page {{ background-image: url(\"/assets/{background}\"); }}\n");
        if (parts.Css is not null) css.Append(parts.Css);
        return css.ToString();
    }
}
