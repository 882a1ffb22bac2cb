using Portal.Server.Branding;

namespace Portal.Tests.Branding;

/// <summary>The file blob store: round trip with content type, missing keys, and keys that try to leave the folder.</summary>
public sealed class BlobStoreTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "portal-tests", "blobs-" + Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Put_get_delete_round_trip()
    {
        IBlobStore store = new FileBlobStore(folder);
        var png = TestImages.Png();
        await store.Put("logo-1.png", png, "image/png");
        var blob = await store.Get("logo-1.png");
        Assert.Equal(png, blob!.Bytes);
        Assert.Equal("image/png", blob.ContentType);

        await store.Put("logo-1.png", TestImages.Jpeg(), "image/jpeg");
        Assert.Equal("image/jpeg", (await store.Get("logo-1.png"))!.ContentType);

        await store.Delete("logo-1.png");
        Assert.Null(await store.Get("logo-1.png"));
        await store.Delete("logo-1.png"); // deleting twice is fine
        Assert.Null(await new FileBlobStore(Path.Combine(folder, "never-created")).Get("x.png"));
    }

    [Theory]
    [InlineData("../escape.png")]
    [InlineData("..")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\windows\\win.ini")]
    [InlineData(".types")]
    [InlineData("a..b")]
    [InlineData("")]
    public async Task Keys_cannot_leave_the_folder(string key)
    {
        var store = new FileBlobStore(folder);
        await Assert.ThrowsAsync<ArgumentException>(() => store.Put(key, [1, 2, 3], "image/png"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Get(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Delete(key));
        Assert.False(BlobKeys.IsValid(key));
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
