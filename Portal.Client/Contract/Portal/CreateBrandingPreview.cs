// Portal-only extension (not an AWS operation): a signed, short-lived URL of a hosted page drawn with an unsaved branding
// draft (CSS, logo, theme), for the portal's live preview; with the CSS's problems at their line and column.
// Nothing is saved but an uploaded logo image (content-addressed, as SetUICustomization stores it). X-Amz-Target: PortalAdmin.CreateBrandingPreview.
using System.ComponentModel.DataAnnotations;
namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record CreateBrandingPreviewRequest : ICognitoRequest<CreateBrandingPreviewResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    /// <summary>An app client id, or "ALL" (the default when omitted) for the pool's default branding.</summary>
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    /// <summary>The draft CSS (Cognito's classes only, as SetUICustomization accepts).</summary>
    [StringLength(131_072)]
    public string? CSS { get; init; }
    /// <summary>A new logo (PNG or JPEG, at most 100 KB); the response names its LogoKey for the next previews.</summary>
    [MaxLength(1_048_576)]
    public byte[]? ImageFile { get; init; }
    /// <summary>A logo already in the asset store (e.g. the published one, or one uploaded with an earlier preview).</summary>
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[A-Za-z0-9][A-Za-z0-9_.\-]*")]
    public string? LogoKey { get; init; }
    public HostedUiTheme? Theme { get; init; }
    /// <summary>One of <see cref="BrandingPreviewPages.All"/>; login when omitted.</summary>
    [AllowedValues(null, "login", "signup", "forgotPassword", "mfa")]
    public string? Page { get; init; }
}
public sealed record CreateBrandingPreviewResponse
{
    /// <summary>The hosted page with the draft, relative to the portal's own address (so the portal may frame it);
    /// null when the draft cannot be shown (see the problems).</summary>
    public string? PreviewUrl { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Why the CSS would be refused on save, each at its line and column (0 when about the whole sheet).</summary>
    public List<CssProblemType>? CssProblems { get; init; }
    /// <summary>Why the theme would be refused on save, one sentence each naming the field.</summary>
    public List<string>? ThemeProblems { get; init; }
    /// <summary>Why the logo is refused, when one was sent.</summary>
    public string? LogoProblem { get; init; }
    /// <summary>The asset key of the logo the preview shows.</summary>
    public string? LogoKey { get; init; }
    /// <summary>Why there is no preview at all (e.g. the pool has no domain, so it has no hosted UI).</summary>
    public string? Problem { get; init; }
}
public sealed record CssProblemType
{
    public int? Line { get; init; }
    public int? Column { get; init; }
    public string? Message { get; init; }
}
/// <summary>The hosted pages a preview can show.</summary>
public static class BrandingPreviewPages
{
    public static readonly IReadOnlyList<(string Page, string Title)> All =
        [("login", "Sign in"), ("signup", "Sign up"), ("forgotPassword", "Forgot password"), ("mfa", "MFA code")];
}

/// <summary>The bytes of the logo a pool's (or client's) branding shows, so an editor can publish it again unchanged:
/// SetUICustomization removes a logo it is not sent.</summary>
[Service(PortalServices.Admin)]
public sealed record GetBrandingLogoRequest : ICognitoRequest<GetBrandingLogoResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
}
public sealed record GetBrandingLogoResponse
{
    public byte[]? ImageFile { get; init; }
    public string? LogoKey { get; init; }
    public string? ContentType { get; init; }
}
