using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Portal.Client.Contract;

namespace Portal.Server.Branding;

/// <summary>What an accepted image is: its type (from its own bytes, never from a name) and size in pixels.</summary>
public sealed record ImageFacts(string ContentType, string Extension, int Width, int Height);

/// <summary>Accepts only PNG and JPEG images (Cognito's logo formats) whose bytes really are one: magic bytes, a header
/// that decodes (PNG IHDR and chunk CRCs, inflated to its exact size; JPEG segments up to a frame header, a scan and
/// EOI), nothing appended, within the size limit. SVG, GIF, WebP and HTML are refused by name.</summary>
public sealed class LogoPolicy
{
    /// <summary>Cognito's logo limit: 100 KB.</summary>
    public const int MaxBytes = 100 * 1024;
    /// <summary>Portal's limit for theme background images: 1 MB.</summary>
    public const int MaxBackgroundBytes = 1024 * 1024;
    public const int MaxDimension = 4096;

    /// <summary>The image's facts, or an <see cref="InvalidParameterException"/> saying what is wrong with it.</summary>
    public ImageFacts Inspect(byte[]? bytes, string subject = "logo", int maxBytes = MaxBytes)
    {
        var (facts, problem) = Check(bytes, subject, maxBytes);
        return facts ?? throw new InvalidParameterException(problem!);
    }

    /// <summary>The image's facts and no problem, or no facts and the problem in one sentence (for editors).</summary>
    public (ImageFacts? Image, string? Problem) Check(byte[]? bytes, string subject = "logo", int maxBytes = MaxBytes)
    {
        var the = $"The {subject}";
        if (bytes is null || bytes.Length == 0) return (null, $"{the} is empty.");
        if (bytes.Length > maxBytes)
            return (null, string.Create(CultureInfo.InvariantCulture, $"{the} is {bytes.Length:N0} bytes; the limit is {maxBytes:N0} bytes ({maxBytes / 1024} KB)."));
        try
        {
            if (bytes.AsSpan().StartsWith(PngSignature)) return (Png(bytes), null);
            if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return (Jpeg(bytes), null);
            return (null, $"{the} {Sniff(bytes)}; only PNG and JPEG images are allowed.");
        }
        catch (Refusal r)
        {
            return (null, $"{the} {r.Message}");
        }
    }

    sealed class Refusal(string message) : Exception(message);

    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Names the format of something that is neither PNG nor JPEG, for a message the operator can act on.</summary>
    static string Sniff(byte[] b)
    {
        var s = b.AsSpan();
        if (s.StartsWith("GIF87a"u8) || s.StartsWith("GIF89a"u8)) return "is a GIF image";
        if (s.Length >= 12 && s.StartsWith("RIFF"u8) && s[8..12].SequenceEqual("WEBP"u8)) return "is a WebP image";
        if (s.StartsWith("BM"u8)) return "is a BMP image";
        if (s.StartsWith("II*\0"u8) || s.StartsWith("MM\0*"u8)) return "is a TIFF image";
        if (s.Length >= 12 && s[4..8].SequenceEqual("ftyp"u8)) return "is an AVIF/HEIF image";
        if (s.StartsWith(new byte[] { 0, 0, 1, 0 })) return "is an ICO image";
        if (s.StartsWith(PngSignature.AsSpan(0, 4))) return "is a PNG image with a damaged signature";
        var head = Encoding.UTF8.GetString(b, 0, Math.Min(b.Length, 1024)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (head.StartsWith("<svg", StringComparison.Ordinal) || (head.StartsWith("<?xml", StringComparison.Ordinal) && head.Contains("<svg")) || head.Contains("<svg")) return "is an SVG image (which can carry scripts)";
        if (head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.StartsWith("<html", StringComparison.Ordinal) || head.Contains("<script") || head.Contains("<body")) return "is an HTML document, not an image";
        if (head.StartsWith('<')) return "is XML or HTML text, not an image";
        return "is not a PNG or JPEG image";
    }

    // ---- PNG --------------------------------------------------------------------------------------------------------

    static ImageFacts Png(byte[] b)
    {
        int offset = 8, width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
        bool header = false, palette = false, ended = false;
        using var idat = new MemoryStream();
        while (!ended)
        {
            if (offset + 12 > b.Length) throw new Refusal("is a truncated PNG (it ends before its IEND chunk).");
            var length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(offset));
            var type = Encoding.ASCII.GetString(b, offset + 4, 4);
            if (!type.All(char.IsAsciiLetter)) throw new Refusal($"is a damaged PNG (chunk type '{type}' at byte {offset + 4}).");
            if (length > int.MaxValue || offset + 12 + (long)length > b.Length)
                throw new Refusal($"is a truncated PNG (its {type} chunk runs past the end of the file).");
            var data = b.AsSpan(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(offset + 8 + (int)length));
            if (Crc32(b.AsSpan(offset + 4, 4 + (int)length)) != crc) throw new Refusal($"is a damaged PNG (the CRC of its {type} chunk does not match).");
            if (!header && type != "IHDR") throw new Refusal("is a damaged PNG (its first chunk is not IHDR).");
            switch (type)
            {
                case "IHDR" when header:
                    throw new Refusal("is a damaged PNG (two IHDR chunks).");
                case "IHDR":
                    if (length != 13) throw new Refusal("is a damaged PNG (its IHDR chunk is not 13 bytes).");
                    width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), int.MaxValue);
                    height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[4..]), int.MaxValue);
                    (bitDepth, colorType, interlace) = (data[8], data[9], data[12]);
                    if (width == 0 || height == 0) throw new Refusal("is a PNG of zero width or height.");
                    if (width > MaxDimension || height > MaxDimension)
                        throw new Refusal($"is {width}×{height} pixels; at most {MaxDimension}×{MaxDimension} are allowed.");
                    if (!ValidDepth(colorType, bitDepth)) throw new Refusal($"is a damaged PNG (bit depth {bitDepth} with colour type {colorType}).");
                    if (data[10] != 0 || data[11] != 0 || interlace > 1) throw new Refusal("is a damaged PNG (unknown compression, filter or interlace method).");
                    header = true;
                    break;
                case "PLTE":
                    palette = true;
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    // Unknown critical chunks (upper-case first letter) cannot be skipped by a decoder.
                    if (char.IsAsciiLetterUpper(type[0])) throw new Refusal($"is a PNG with an unknown critical chunk '{type}'.");
                    break;
            }
            offset += 12 + (int)length;
        }
        if (offset != b.Length) throw new Refusal("is a PNG with data after its end (IEND); it may be another file in disguise.");
        if (colorType == 3 && !palette) throw new Refusal("is a damaged PNG (a palette image without a PLTE chunk).");
        if (idat.Length == 0) throw new Refusal("is a PNG without image data (IDAT).");
        var expected = PngDataSize(width, height, bitDepth, colorType, interlace == 1);
        idat.Position = 0;
        long inflated = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = z.Read(buffer)) > 0 && inflated <= expected) inflated += n;
        }
        catch (InvalidDataException)
        {
            throw new Refusal("is a damaged PNG (its image data does not decompress).");
        }
        if (inflated < expected) throw new Refusal("is a truncated PNG (its image data is shorter than its size says).");
        return new ImageFacts("image/png", "png", width, height);
    }

    static bool ValidDepth(int colorType, int depth) => colorType switch
    {
        0 => depth is 1 or 2 or 4 or 8 or 16,
        3 => depth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => depth is 8 or 16,
        _ => false,
    };

    /// <summary>Bytes of the filtered scanlines (one filter byte per row), over the seven Adam7 passes when interlaced.</summary>
    static long PngDataSize(int width, int height, int depth, int colorType, bool interlaced)
    {
        var channels = colorType switch { 0 or 3 => 1, 2 => 3, 4 => 2, _ => 4 };
        var bitsPerPixel = channels * depth;
        long Rows(long w, long h) => w == 0 || h == 0 ? 0 : h * (1 + (w * bitsPerPixel + 7) / 8);
        if (!interlaced) return Rows(width, height);
        (int X, int Y, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        return passes.Sum(p => Rows((width - p.X + p.Dx - 1) / p.Dx, (height - p.Y + p.Dy - 1) / p.Dy));
    }

    static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, as zlib's).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var x in bytes) c = CrcTable[(c ^ x) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    // ---- JPEG -------------------------------------------------------------------------------------------------------

    static ImageFacts Jpeg(byte[] b)
    {
        int i = 2, width = 0, height = 0;
        bool frame = false, scan = false;
        while (true)
        {
            if (i >= b.Length) throw new Refusal("is a truncated JPEG (it ends before its end-of-image marker).");
            if (b[i] != 0xFF) throw new Refusal($"is a damaged JPEG (no marker at byte {i}).");
            while (i < b.Length && b[i] == 0xFF) i++; // fill bytes
            if (i >= b.Length) throw new Refusal("is a truncated JPEG (it ends before its end-of-image marker).");
            var marker = b[i++];
            if (marker == 0xD9)
            {
                if (!frame) throw new Refusal("is a JPEG without a frame header (SOF): it has no size and cannot be decoded.");
                if (!scan) throw new Refusal("is a JPEG without image data (no SOS scan).");
                if (i != b.Length) throw new Refusal("is a JPEG with data after its end (EOI); it may be another file in disguise.");
                return new ImageFacts("image/jpeg", "jpg", width, height);
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue; // standalone markers
            if (marker is 0xD8 or 0x00) throw new Refusal($"is a damaged JPEG (unexpected marker FF{marker:X2}).");
            if (i + 2 > b.Length) throw new Refusal("is a truncated JPEG (it ends inside a segment header).");
            var length = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(i));
            if (length < 2 || i + length > b.Length) throw new Refusal($"is a truncated JPEG (its FF{marker:X2} segment runs past the end of the file).");
            var segment = b.AsSpan(i + 2, length - 2);
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                if (frame) throw new Refusal("is a damaged JPEG (two frame headers).");
                if (segment.Length < 6) throw new Refusal("is a damaged JPEG (a frame header too short to hold a size).");
                height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
                var components = segment[5];
                if (segment.Length != 6 + 3 * components || components is 0 or > 4)
                    throw new Refusal("is a damaged JPEG (its frame header does not match its component count).");
                if (width == 0 || height == 0) throw new Refusal("is a JPEG of zero width or height.");
                if (width > MaxDimension || height > MaxDimension)
                    throw new Refusal($"is {width}×{height} pixels; at most {MaxDimension}×{MaxDimension} are allowed.");
                frame = true;
            }
            i += length;
            if (marker != 0xDA) continue;
            if (!frame) throw new Refusal("is a JPEG without a frame header (SOF) before its image data: it cannot be decoded.");
            scan = true;
            // Entropy-coded data runs to the next marker that is neither a stuffed 00 nor a restart marker.
            while (i + 1 < b.Length && !(b[i] == 0xFF && b[i + 1] != 0x00 && b[i + 1] is not (>= 0xD0 and <= 0xD7))) i++;
            if (i + 1 >= b.Length) throw new Refusal("is a truncated JPEG (its image data has no end-of-image marker).");
        }
    }
}
