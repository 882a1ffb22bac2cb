using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Client.Contract;

namespace Portal.Server.Branding;

/// <summary>An unsaved branding (theme, CSS, logo) for one pool and client, as the editor holds it.</summary>
public sealed record BrandingDraft
{
    public required string UserPoolId { get; init; }
    /// <summary>An app client id, or null / "ALL" for the pool's default.</summary>
    public string? ClientId { get; init; }
    public HostedUiTheme? Theme { get; init; }
    public string? Css { get; init; }
    /// <summary>The asset key of the logo to show (already in the blob store).</summary>
    public string? LogoKey { get; init; }
}

/// <summary>Lets the hosted UI render a draft before it is saved (<c>?preview=TOKEN</c>): the draft travels in the token
/// itself, checked first (CSS sanitised, theme validated), compressed, then encrypted and signed with Data Protection
/// for ten minutes, so no instance needs to remember it and nobody can forge or alter one.</summary>
public sealed class BrandingPreview(IDataProtectionProvider protection, CssPolicy css, ThemePolicy themes, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    const int MaxDraftBytes = 64 * 1024;

    readonly ITimeLimitedDataProtector protector = protection.CreateProtector("Portal.HostedUi.BrandingPreview").ToTimeLimitedDataProtector();

    sealed record Payload(BrandingDraft Draft, DateTimeOffset ExpiresAt);

    /// <summary>A URL-safe token for the draft, valid for <see cref="Lifetime"/>; an <see cref="InvalidParameterException"/>
    /// when the draft's CSS, theme or logo key would be refused on save.</summary>
    public string Create(BrandingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.LogoKey is not null && !BlobKeys.IsValid(draft.LogoKey))
            throw new InvalidParameterException($"'{draft.LogoKey}' is not an asset key.");
        var checkedDraft = draft with
        {
            ClientId = draft.ClientId is null or UiCustomizationStore.All ? null : draft.ClientId,
            Css = css.Sanitize(draft.Css),
            Theme = draft.Theme is null ? null : themes.Normalize(draft.Theme),
        };
        var expiresAt = clock.GetUtcNow() + Lifetime;
        var json = JsonSerializer.SerializeToUtf8Bytes(new Payload(checkedDraft, expiresAt), CognitoJson.Options);
        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(json);
        return WebEncoders.Base64UrlEncode(protector.Protect(compressed.ToArray(), expiresAt));
    }

    /// <summary>The draft of a valid, unexpired token; null for anything else (expired, altered, foreign, garbage).</summary>
    public BrandingDraft? TryRead(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 32 * 1024) return null;
        try
        {
            var compressed = protector.Unprotect(WebEncoders.Base64UrlDecode(token), out _);
            using var brotli = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var json = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = brotli.Read(buffer)) > 0)
            {
                json.Write(buffer, 0, n);
                if (json.Length > MaxDraftBytes) return null;
            }
            var payload = JsonSerializer.Deserialize<Payload>(json.ToArray(), CognitoJson.Options);
            return payload is not null && payload.ExpiresAt > clock.GetUtcNow() ? payload.Draft : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException or InvalidDataException)
        {
            return null;
        }
    }
}
