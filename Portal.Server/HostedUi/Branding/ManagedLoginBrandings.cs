using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Branding;

/// <summary>Cognito's managed login branding (a settings document and assets per app client) kept on the client's
/// UiCustomizations row, beside Portal's theme: the document and assets are stored as written, so a describe returns
/// what was set, and their colours, corner radius, logo and background are mapped onto the theme the hosted UI draws.
/// Whichever API wrote last is recorded; when the theme was written after the branding, describe shows the theme's values.</summary>
public sealed class ManagedLoginBrandings(IBlobStore blobs, BrandingAssets assets)
{
    public const string ByBranding = "ManagedLoginBranding", ByTheme = "SetHostedUiTheme", ByUiCustomization = "SetUICustomization";

    // Where the theme's members live in the settings document (Cognito's branding editor writes these paths).
    static readonly (string Member, string[] Path)[] Mapped =
    [
        ("PrimaryColor", ["components", "primaryButton", "lightMode", "defaults", "backgroundColor"]),
        ("BackgroundColor", ["components", "pageBackground", "lightMode", "color"]),
        ("TextColor", ["componentClasses", "text", "lightMode", "bodyTextColor"]),
        ("CornerRadius", ["componentClasses", "buttons", "borderRadius"]),
    ];

    sealed record StoredAsset(string Category, string ColorMode, string Extension, string? ResourceId, string? Key);

    /// <summary>Writes the branding onto the row (document, assets, theme, logo); the caller saves.</summary>
    public async Task Write(UiCustomizationRow row, bool? useCognitoProvidedValues, JsonElement? settings, List<AssetType>? assetList, bool replace, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (useCognitoProvidedValues == true && (settings is { ValueKind: not JsonValueKind.Null } || assetList is { Count: > 0 }))
            throw new InvalidParameterException("Settings and Assets cannot be given when UseCognitoProvidedValues is true.");
        if (settings is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            throw new InvalidParameterException("Settings must be a JSON object.");
        if (useCognitoProvidedValues == true)
        {
            row.UseCognitoProvidedValues = true;
            row.BrandingSettings = null;
            row.BrandingAssets = null;
        }
        else
        {
            if (useCognitoProvidedValues == false || replace) row.UseCognitoProvidedValues = false;
            if (settings is { ValueKind: JsonValueKind.Object } s) row.BrandingSettings = s.GetRawText();
            else if (replace) row.BrandingSettings = null;
            if (assetList is not null) row.BrandingAssets = JsonSerializer.Serialize(await Store(assetList, ct), CognitoJson.Options);
            else if (replace) row.BrandingAssets = null;
        }
        Map(row);
        row.LastWrittenBy = ByBranding;
    }

    async Task<List<StoredAsset>> Store(List<AssetType> list, CancellationToken ct)
    {
        var duplicate = list.GroupBy(a => (a.Category, a.ColorMode)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidParameterException($"Assets has more than one {duplicate.Key.Category} asset for color mode {duplicate.Key.ColorMode}.");
        var stored = new List<StoredAsset>();
        foreach (var a in list)
        {
            string? key = null;
            if (a.Bytes is { Length: > 0 } bytes)
            {
                if (a.Extension is "PNG" or "JPEG")
                    key = await assets.PutImage(bytes, $"{a.Category} asset", LogoPolicy.MaxBackgroundBytes, ct);
                else
                {
                    // Kept to be returned as written, never drawn: served as a download, so an SVG cannot run on Portal's origin.
                    key = $"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}.{a.Extension!.ToLowerInvariant()}.bin";
                    await blobs.Put(key, bytes, "application/octet-stream", ct);
                }
            }
            stored.Add(new StoredAsset(a.Category!, a.ColorMode!, a.Extension!, a.ResourceId, key));
        }
        return stored;
    }

    /// <summary>The theme and logo the hosted UI draws, from the document and assets (what they do not set is kept).</summary>
    static void Map(UiCustomizationRow row)
    {
        var theme = UiCustomizationStore.HasTheme(row) ? UiCustomizationStore.ReadTheme(row) : new HostedUiTheme();
        var document = row.BrandingSettings is null ? null : JsonNode.Parse(row.BrandingSettings);
        string? Color(string member) => At(document, Mapped.First(m => m.Member == member).Path) is JsonValue v && v.TryGetValue<string>(out var c)
            && c.Length is 6 or 8 && c.All(Uri.IsHexDigit) ? "#" + c[..6].ToLowerInvariant() : null;
        var radius = At(document, Mapped.First(m => m.Member == "CornerRadius").Path) is JsonValue r && r.TryGetValue<double>(out var d)
            ? (int?)Math.Clamp((int)Math.Round(d), 0, 24) : null;
        var stored = Assets(row);
        string? Image(params string[] categories) => stored
            .Where(a => categories.Contains(a.Category) && a.ColorMode != "DARK" && a.Extension is "PNG" or "JPEG" && a.Key is not null)
            .OrderBy(a => Array.IndexOf(categories, a.Category)).Select(a => a.Key).FirstOrDefault();
        theme = theme with
        {
            PrimaryColor = Color("PrimaryColor") ?? theme.PrimaryColor,
            BackgroundColor = Color("BackgroundColor") ?? theme.BackgroundColor,
            TextColor = Color("TextColor") ?? theme.TextColor,
            CornerRadius = radius ?? theme.CornerRadius,
            BackgroundImageKey = Image("PAGE_BACKGROUND") ?? theme.BackgroundImageKey,
        };
        UiCustomizationStore.WriteTheme(row, theme);
        if (Image("FORM_LOGO", "PAGE_HEADER_LOGO") is { } logo) row.ImageKey = logo;
    }

    static List<StoredAsset> Assets(UiCustomizationRow row) =>
        row.BrandingAssets is null ? [] : JsonSerializer.Deserialize<List<StoredAsset>>(row.BrandingAssets, CognitoJson.Options) ?? [];

    static JsonNode? At(JsonNode? node, string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node;
    }

    /// <summary>The branding as Cognito describes it. When the theme was written after it, the document shows the theme's
    /// colours and radius at the paths they map to, so both APIs read the same branding.</summary>
    public async Task<ManagedLoginBrandingType> Describe(UiCustomizationRow row, bool withBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        JsonElement? settings = null;
        var document = row.BrandingSettings is null ? null : JsonNode.Parse(row.BrandingSettings);
        if (row.LastWrittenBy != ByBranding && !row.UseCognitoProvidedValues && UiCustomizationStore.HasTheme(row))
        {
            document ??= new JsonObject();
            var theme = UiCustomizationStore.ReadTheme(row);
            foreach (var (member, path) in Mapped)
            {
                JsonNode? value = member switch
                {
                    "PrimaryColor" => Hex(theme.PrimaryColor),
                    "BackgroundColor" => Hex(theme.BackgroundColor),
                    "TextColor" => Hex(theme.TextColor),
                    _ => theme.CornerRadius is { } radius ? JsonValue.Create(radius) : null,
                };
                if (value is not null) Set(document, path, value);
            }
        }
        if (document is not null) settings = JsonSerializer.Deserialize<JsonElement>(document.ToJsonString());
        var list = new List<AssetType>();
        foreach (var a in Assets(row))
        {
            var bytes = withBytes && a.Key is not null ? (await blobs.Get(a.Key, ct))?.Bytes : null;
            list.Add(new AssetType { Category = a.Category, ColorMode = a.ColorMode, Extension = a.Extension, ResourceId = a.ResourceId, Bytes = bytes });
        }
        return new ManagedLoginBrandingType
        {
            ManagedLoginBrandingId = row.ManagedLoginBrandingId,
            UserPoolId = row.UserPoolId,
            UseCognitoProvidedValues = row.UseCognitoProvidedValues,
            Settings = settings,
            Assets = list,
            CreationDate = row.CreatedAt,
            LastModifiedDate = row.LastModifiedAt,
        };
    }

    static JsonValue? Hex(string? color) => color is { Length: 7 } ? JsonValue.Create(color[1..].ToLowerInvariant() + "ff") : null;

    static void Set(JsonNode document, string[] path, JsonNode value)
    {
        var node = document;
        foreach (var p in path[..^1])
        {
            if (node[p] is not JsonObject next) node[p] = next = new JsonObject();
            node = next;
        }
        node[path[^1]] = value;
    }

    /// <summary>The blob keys the row's branding assets use (to release them when it goes).</summary>
    public static IEnumerable<string> Keys(UiCustomizationRow row) => Assets(row).Select(a => a.Key).OfType<string>();

    public static string WriterOf(string? lastWrittenBy) => lastWrittenBy switch
    {
        ByBranding => "the managed login branding API (Create/UpdateManagedLoginBranding)",
        ByTheme => "the portal's theme editor (SetHostedUiTheme)",
        ByUiCustomization => "SetUICustomization (classic CSS and logo)",
        _ => lastWrittenBy ?? "nothing yet",
    };
}
