using System.Text.RegularExpressions;

namespace Portal.Server.Branding;

/// <summary>Where branding assets (logos, background images) live: a folder, or an S3 bucket shared by instances.</summary>
public interface IBlobStore
{
    /// <summary>Stores (or replaces) <paramref name="bytes"/> under <paramref name="key"/> (see <see cref="BlobKeys"/>).</summary>
    Task Put(string key, byte[] bytes, string contentType, CancellationToken ct = default);
    /// <summary>The blob, or null when there is none under that key.</summary>
    Task<Blob?> Get(string key, CancellationToken ct = default);
    /// <summary>Removes the blob; removing a missing one is not an error.</summary>
    Task Delete(string key, CancellationToken ct = default);
}

public sealed record Blob(byte[] Bytes, string ContentType);

/// <summary>Asset keys are file-name-safe on every store: letters, digits, '.', '_', '-', no leading dot, no "..".</summary>
public static partial class BlobKeys
{
    public const int MaxLength = 128;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key) && !key.Contains("..", StringComparison.Ordinal);

    /// <summary>Refuses keys that could leave the store's folder or prefix (path traversal, separators, dots).</summary>
    public static string Check(string? key) => IsValid(key)
        ? key!
        : throw new ArgumentException($"'{key}' is not a valid asset key: use letters, digits, '.', '_' and '-' (at most {MaxLength}), not starting with '.' and without '..'.", nameof(key));
}

/// <summary>The <c>Portal:Assets</c> section of appsettings.json.</summary>
public sealed class AssetOptions
{
    /// <summary>"File" (default: a folder under the data folder) or "S3".</summary>
    public string Provider { get; set; } = "File";
    /// <summary>The folder of the File provider; empty means <c>{Storage:DataFolder}/assets</c>. Relative to the content root.</summary>
    public string? Folder { get; set; }
    public S3AssetOptions S3 { get; set; } = new();

    public bool IsS3 => Provider.Equals("S3", StringComparison.OrdinalIgnoreCase);
}

public sealed class S3AssetOptions
{
    public string Bucket { get; set; } = "";
    /// <summary>An S3-compatible endpoint (MinIO, s3rver, ...); empty for AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }
    public string Region { get; set; } = "us-east-1";
    /// <summary>Path-style addressing (<c>{ServiceUrl}/{Bucket}/{key}</c>), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; }
    /// <summary>Static credentials; when empty the AWS default chain is used (environment, profile, instance role).</summary>
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    /// <summary>Prepended to every key (e.g. "portal/assets/").</summary>
    public string? Prefix { get; set; }
}
