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
        var key = $"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}.{image.Extension}";
        await blobs.Put(key, bytes!, image.ContentType, ct);
        return key;
    }

    public async Task<bool> Exists(string key, CancellationToken ct) => BlobKeys.IsValid(key) && await blobs.Get(key, ct) is not null;

    /// <summary>Deletes the asset unless a customization (logo, CSS or theme, of any pool) still refers to it.</summary>
    public async Task Release(string? key, CancellationToken ct)
    {
        if (key is null || !BlobKeys.IsValid(key)) return;
        var used = await db.UiCustomizations.AnyAsync(r => r.ImageKey == key || r.Theme.Contains(key) || (r.Css != null && r.Css.Contains(key)), ct);
        if (!used) await blobs.Delete(key, ct);
    }

    /// <summary>Where browsers fetch the asset: the public base URL (or the request's) + <c>/assets/{key}</c>.</summary>
    public string Url(string key) => $"{issuer.BaseUrl}/assets/{Uri.EscapeDataString(key)}";
}
