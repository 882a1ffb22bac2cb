// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Portal.Client.Contract;

public sealed record CreateManagedLoginBrandingRequest : ICognitoRequest<CreateManagedLoginBrandingResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    public bool? UseCognitoProvidedValues { get; init; }
    public JsonElement? Settings { get; init; }
    [MaxLength(40)]
    public List<AssetType>? Assets { get; init; }
}

public sealed record CreateManagedLoginBrandingResponse
{
    public ManagedLoginBrandingType? ManagedLoginBranding { get; init; }
}

public sealed record DescribeManagedLoginBrandingRequest : ICognitoRequest<DescribeManagedLoginBrandingResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [RegularExpression(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    public string? ManagedLoginBrandingId { get; init; }
    public bool? ReturnMergedResources { get; init; }
}

public sealed record DescribeManagedLoginBrandingResponse
{
    public ManagedLoginBrandingType? ManagedLoginBranding { get; init; }
}

public sealed record DescribeManagedLoginBrandingByClientRequest : ICognitoRequest<DescribeManagedLoginBrandingByClientResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
    public bool? ReturnMergedResources { get; init; }
}

public sealed record DescribeManagedLoginBrandingByClientResponse
{
    public ManagedLoginBrandingType? ManagedLoginBranding { get; init; }
}

public sealed record UpdateManagedLoginBrandingRequest : ICognitoRequest<UpdateManagedLoginBrandingResponse>
{
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [RegularExpression(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    public string? ManagedLoginBrandingId { get; init; }
    public bool? UseCognitoProvidedValues { get; init; }
    public JsonElement? Settings { get; init; }
    [MaxLength(40)]
    public List<AssetType>? Assets { get; init; }
}

public sealed record UpdateManagedLoginBrandingResponse
{
    public ManagedLoginBrandingType? ManagedLoginBranding { get; init; }
}

public sealed record DeleteManagedLoginBrandingRequest : ICognitoRequest<DeleteManagedLoginBrandingResponse>
{
    [Required]
    [RegularExpression(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    public string? ManagedLoginBrandingId { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
}

public sealed record DeleteManagedLoginBrandingResponse
{
}

public sealed record ManagedLoginBrandingType
{
    public string? ManagedLoginBrandingId { get; init; }
    public string? UserPoolId { get; init; }
    public bool? UseCognitoProvidedValues { get; init; }
    public JsonElement? Settings { get; init; }
    public List<AssetType>? Assets { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

public sealed record AssetType
{
    [Required]
    [AllowedValues("FAVICON_ICO", "FAVICON_SVG", "EMAIL_GRAPHIC", "SMS_GRAPHIC", "AUTH_APP_GRAPHIC", "PASSWORD_GRAPHIC", "PASSKEY_GRAPHIC",
        "PAGE_HEADER_LOGO", "PAGE_HEADER_BACKGROUND", "PAGE_FOOTER_LOGO", "PAGE_FOOTER_BACKGROUND", "PAGE_BACKGROUND", "FORM_BACKGROUND",
        "FORM_LOGO", "IDP_BUTTON_ICON")]
    public string? Category { get; init; }
    [Required]
    [AllowedValues("LIGHT", "DARK", "DYNAMIC")]
    public string? ColorMode { get; init; }
    [Required]
    [AllowedValues("ICO", "JPEG", "PNG", "SVG", "WEBP")]
    public string? Extension { get; init; }
    [MaxLength(1_000_000)]
    public byte[]? Bytes { get; init; }
    [StringLength(40, MinimumLength = 1)]
    [RegularExpression(@"^[\w\- ]+$")]
    public string? ResourceId { get; init; }
}
