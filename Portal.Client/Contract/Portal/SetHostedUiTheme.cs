// Portal-only extension (not an AWS operation): the hosted UI's theme beyond Cognito's CSS and logo.
// Its X-Amz-Target is PortalAdmin.SetHostedUiTheme; it is signed with SigV4 like the admin operations.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record SetHostedUiThemeRequest : ICognitoRequest<SetHostedUiThemeResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    /// <summary>An app client id, or "ALL" (the default when omitted) for every client without its own theme.</summary>
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    [Required]
    public HostedUiTheme? Theme { get; init; }
    /// <summary>A new background image (PNG or JPEG, at most 1 MB); when given it replaces Theme.BackgroundImageKey.</summary>
    [MaxLength(1_048_576)]
    public byte[]? BackgroundImageFile { get; init; }
}

public sealed record SetHostedUiThemeResponse
{
    public HostedUiThemeType? HostedUiTheme { get; init; }
}

/// <summary>A theme as stored for a pool's client (or ALL), with where its background image is served.</summary>
public sealed record HostedUiThemeType
{
    public string? UserPoolId { get; init; }
    public string? ClientId { get; init; }
    public HostedUiTheme? Theme { get; init; }
    public string? BackgroundImageUrl { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    /// <summary>Which API last wrote this client's branding: SetHostedUiTheme, SetUICustomization or ManagedLoginBranding.</summary>
    public string? LastWrittenBy { get; init; }
    /// <summary>The client's managed login branding style, when it has one (CreateManagedLoginBranding).</summary>
    public string? ManagedLoginBrandingId { get; init; }
}

/// <summary>Portal's theme of the hosted sign-in pages, beyond Cognito's CSS classes. Every member is optional:
/// what is not set keeps Portal's default look.</summary>
public sealed record HostedUiTheme
{
    /// <summary>Buttons and links, as #rrggbb.</summary>
    [RegularExpression("#[0-9a-fA-F]{6}")]
    public string? PrimaryColor { get; init; }
    [RegularExpression("#[0-9a-fA-F]{6}")]
    public string? BackgroundColor { get; init; }
    [RegularExpression("#[0-9a-fA-F]{6}")]
    public string? TextColor { get; init; }
    /// <summary>One of <see cref="Fonts"/>: fonts every browser has, so the page fetches none.</summary>
    public string? FontFamily { get; init; }
    /// <summary>Corner radius of the card, fields and buttons, in pixels.</summary>
    [Range(0, 24)]
    public int? CornerRadius { get; init; }
    /// <summary>The asset key of the page's background image (served at /assets/{key}).</summary>
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[A-Za-z0-9][A-Za-z0-9_.\-]*")]
    public string? BackgroundImageKey { get; init; }
    /// <summary>The browser tab's title after the page's own ("Sign in · {PageTitle}").</summary>
    [StringLength(64, MinimumLength = 1)]
    public string? PageTitle { get; init; }
    /// <summary>Links under the form (terms, privacy, help): at most 5, https only.</summary>
    [MaxLength(5)]
    public List<FooterLink>? FooterLinks { get; init; }
    /// <summary>Heading and description per page, keyed by one of <see cref="PageNames"/>.</summary>
    public Dictionary<string, PageText>? Pages { get; init; }
    /// <summary>The language used when neither ui_locales nor the browser asks for one Portal has (e.g. "en", "de", "pt-BR").</summary>
    [RegularExpression("[a-z]{2,3}(-[A-Z]{2})?")]
    public string? DefaultLocale { get; init; }

    /// <summary>The safe font list: name → CSS font stack.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fonts = new Dictionary<string, string>
    {
        ["System"] = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif",
        ["Arial"] = "Arial, Helvetica, sans-serif",
        ["Helvetica"] = "\"Helvetica Neue\", Helvetica, Arial, sans-serif",
        ["Verdana"] = "Verdana, Geneva, sans-serif",
        ["Tahoma"] = "Tahoma, Verdana, sans-serif",
        ["Trebuchet MS"] = "\"Trebuchet MS\", Helvetica, sans-serif",
        ["Georgia"] = "Georgia, \"Times New Roman\", serif",
        ["Times New Roman"] = "\"Times New Roman\", Times, serif",
        ["Garamond"] = "Garamond, Baskerville, \"Times New Roman\", serif",
        ["Courier New"] = "\"Courier New\", Courier, monospace",
    };

    /// <summary>The pages whose heading and description can be changed.</summary>
    public static readonly IReadOnlyList<string> PageNames =
        ["login", "signup", "confirmSignUp", "forgotPassword", "confirmForgotPassword", "newPassword", "mfa", "logout"];
}

public sealed record FooterLink
{
    [Required]
    [StringLength(40, MinimumLength = 1)]
    public string? Label { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 9)]
    public string? Url { get; init; }
}

public sealed record PageText
{
    [StringLength(100, MinimumLength = 0)]
    public string? Heading { get; init; }
    [StringLength(500, MinimumLength = 0)]
    public string? Description { get; init; }
}

/// <summary>X-Amz-Target prefixes of Portal's own operations (not exposed by AWS).</summary>
public static class PortalServices
{
    public const string Admin = "PortalAdmin";
}
