using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.Branding;

/// <summary>Branding images in the blob store: checked, named by their content (so a URL never changes meaning and
/// can be cached for good), served at <c>{base}/assets/{key}</c>, removed when no customization uses them any more.</summary>
public sealed class BrandingAssets(IBlobStore blobs, LogoPolicy images, PortalDb db, Issuer issuer)
{
    /// <summary>Checks the image (PNG or JPEG within <paramref name="maxBytes"/>), stores it and returns its key.</summary>
    public async Task<string> PutImage(byte[]? bytes, string subject, int maxBytes, CancellationToken ct)
    {
        var image = images.Inspect(bytes, subject, maxBytes);
        var key = $"{Convert.ToHexStringLower(SHA256.HashData(bytes!))[..32]}.{image.Extension}";
        await blobs.Put(key, bytes!, image.ContentType, ct);
        return key;
    }

    const string PreviewPrefix = "branding-preview-asset/";

    /// <summary>A logo stored for a preview only: unless a save uses it, it goes once the preview has expired
    /// (<see cref="SweepPreviews"/>). Saved with the caller's unit of work.</summary>
    public async Task MarkPreview(string key, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var setting = PreviewPrefix + key;
        var value = expiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var row = db.Settings.Local.FirstOrDefault(r => r.Key == setting) ?? await db.Settings.FirstOrDefaultAsync(r => r.Key == setting, ct);
        if (row is null) db.Settings.Add(new SettingRow { Key = setting, Value = value });
        else row.Value = value;
    }

    /// <summary>Removes the preview logos whose previews have expired, unless a customization now uses them.</summary>
    public async Task<int> SweepPreviews(DateTimeOffset now, CancellationToken ct)
    {
        var marks = await db.Settings.AsNoTracking().Where(r => r.Key.StartsWith(PreviewPrefix)).ToListAsync(ct);
        var expired = marks.Where(m => long.TryParse(m.Value, out var at) && DateTimeOffset.FromUnixTimeSeconds(at) < now).ToList();
        foreach (var mark in expired)
        {
            await db.Settings.Where(r => r.Key == mark.Key).ExecuteDeleteAsync(ct);
            await Release(mark.Key[PreviewPrefix.Length..], ct);
        }
        return expired.Count;
    }

    public async Task<bool> Exists(string key, CancellationToken ct) => BlobKeys.IsValid(key) && await blobs.Get(key, ct) is not null;

    /// <summary>Deletes the asset unless a customization (logo, CSS or theme, of any pool) still refers to it.</summary>
    public async Task Release(string? key, CancellationToken ct)
    {
        if (key is null || !BlobKeys.IsValid(key)) return;
        var used = await db.UiCustomizations.AnyAsync(r => r.ImageKey == key || r.Theme.Contains(key) || (r.Css != null && r.Css.Contains(key))
                                                          || (r.BrandingAssets != null && r.BrandingAssets.Contains(key)), ct);
        if (!used) await blobs.Delete(key, ct);
    }

    /// <summary>Where browsers fetch the asset: the public base URL (or the request's) + <c>/assets/{key}</c>.</summary>
    public string Url(string key) => $"{issuer.BaseUrl}/assets/{Uri.EscapeDataString(key)}";
}
