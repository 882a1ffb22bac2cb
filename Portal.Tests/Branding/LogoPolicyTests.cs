using System.Text;
using Portal.Client.Contract;
using Portal.Server.Branding;

namespace Portal.Tests.Branding;

/// <summary>Logos are PNG or JPEG by their own bytes, decodable, at most 100 KB; everything else is refused by name.</summary>
public sealed class LogoPolicyTests
{
    readonly LogoPolicy policy = new();

    [Fact]
    public void Real_small_png_is_accepted()
    {
        var image = policy.Inspect(TestImages.Png(16, 8));
        Assert.Equal(new ImageFacts("image/png", "png", 16, 8), image);
    }

    [Fact]
    public void Real_small_jpeg_is_accepted()
    {
        var image = policy.Inspect(TestImages.Jpeg());
        Assert.Equal(new ImageFacts("image/jpeg", "jpg", 8, 8), image);
    }

    public static TheoryData<string, byte[], string> Refused => new()
    {
        { "SVG", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "is an SVG image" },
        { "GIF", [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 4, 1, 0, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B], "is a GIF image" },
        { "WebP", [.. "RIFF"u8, 26, 0, 0, 0, .. "WEBPVP8L"u8, 13, 0, 0, 0, 0x2F, 0, 0, 0, 0x10, 7, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0], "is a WebP image" },
        { "HTML renamed .png", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"), "is an HTML document" },
        { "truncated PNG", TestImages.Png(32, 32)[..^30], "is a truncated PNG" },
        { "JPEG without SOF", TestImages.Jpeg(withFrameHeader: false), "without a frame header (SOF)" },
        { "101 KB PNG", TestImages.Png(padding: 101 * 1024), "the limit is 102,400 bytes (100 KB)" },
        { "PNG with HTML after IEND", [.. TestImages.Png(), .. "<html><script>alert(1)</script></html>"u8], "data after its end" },
        { "PNG with a damaged chunk", Damage(TestImages.Png(), at: 20), "CRC of its IHDR chunk" },
        { "JPEG cut before EOI", TestImages.Jpeg()[..^2], "is a truncated JPEG" },
        { "text", "just some text"u8.ToArray(), "is not a PNG or JPEG image" },
        { "empty", [], "is empty" },
    };

    static byte[] Damage(byte[] bytes, int at)
    {
        bytes[at] ^= 0xFF;
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_logo_is_refused_with_a_clear_message(string what, byte[] bytes, string expected)
    {
        var e = Assert.Throws<InvalidParameterException>(() => policy.Inspect(bytes));
        Assert.StartsWith("The logo ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal(e.Message, policy.Check(bytes).Problem);
        Assert.NotEmpty(what);
    }

    [Fact]
    public void Background_images_may_be_larger_than_logos()
    {
        var big = TestImages.Png(padding: 200 * 1024);
        Assert.Throws<InvalidParameterException>(() => policy.Inspect(big));
        Assert.Equal("image/png", policy.Inspect(big, "background image", LogoPolicy.MaxBackgroundBytes).ContentType);
    }

    [Fact]
    public void Png_whose_image_data_is_short_is_refused()
    {
        // A well-formed file whose IDAT holds fewer scanlines than IHDR promises cannot be drawn.
        var small = TestImages.Png(16, 4);
        var header = TestImages.Png(16, 40);
        var lying = header[..33].Concat(small[33..]).ToArray(); // IHDR of 16×40, data of 16×4
        var e = Assert.Throws<InvalidParameterException>(() => policy.Inspect(lying));
        Assert.Contains("shorter than its size says", e.Message);
    }
}
