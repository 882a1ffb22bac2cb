namespace Portal.Server.Branding;

/// <summary>Blobs as files in one folder; the content type in a sidecar under <c>.types/</c> (keys never start with a dot,
/// so the two cannot collide). Writes go to a temporary file first, so readers never see half a file.</summary>
public sealed class FileBlobStore(string folder) : IBlobStore
{
    readonly string root = Path.GetFullPath(folder);

    public async Task Put(string key, byte[] bytes, string contentType, CancellationToken ct = default)
    {
        var (data, type) = Paths(key);
        Directory.CreateDirectory(Path.GetDirectoryName(type)!);
        await Write(type, System.Text.Encoding.UTF8.GetBytes(contentType), ct);
        await Write(data, bytes, ct);
    }

    public async Task<Blob?> Get(string key, CancellationToken ct = default)
    {
        var (data, type) = Paths(key);
        try
        {
            var bytes = await File.ReadAllBytesAsync(data, ct);
            var contentType = File.Exists(type) ? (await File.ReadAllTextAsync(type, ct)).Trim() : "application/octet-stream";
            return new Blob(bytes, contentType);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public Task Delete(string key, CancellationToken ct = default)
    {
        var (data, type) = Paths(key);
        File.Delete(data);
        File.Delete(type);
        return Task.CompletedTask;
    }

    (string Data, string Type) Paths(string key)
    {
        BlobKeys.Check(key);
        var data = Path.GetFullPath(Path.Combine(root, key));
        // The key pattern already excludes separators and "..": this is the second lock on the same door.
        if (!data.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{key}' is not a valid asset key.", nameof(key));
        return (data, Path.Combine(root, ".types", key));
    }

    async Task Write(string path, byte[] bytes, CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        var temp = Path.Combine(root, $".tmp-{Guid.NewGuid():n}");
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
