using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Portal.Tests.Branding;

/// <summary>Real, small images made byte by byte: a PNG (zlib-compressed scanlines, CRC-32 chunks) and a baseline JPEG
/// (one 8×8 grey block: quantisation table, frame header, Huffman tables, one scan, EOI).</summary>
public static class TestImages
{
    /// <summary>A width×height RGB PNG of a diagonal gradient; <paramref name="padding"/> bytes of tEXt make it as large as needed.</summary>
    public static byte[] Png(int width = 16, int height = 8, int padding = 0)
    {
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++) raw.Write([(byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 0x80]);
        }
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        Chunk(png, "IHDR", header);
        if (padding > 0) Chunk(png, "tEXt", [.. "Comment\0"u8, .. Enumerable.Repeat((byte)'x', padding)]);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        s.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        s.Write(crc);
    }

    static uint Crc32(byte[] bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c ^= b;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    /// <summary>A baseline JPEG of one 8×8 grey block: every coefficient zero, coded with one-symbol Huffman tables.</summary>
    public static byte[] Jpeg(bool withFrameHeader = true)
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };                                  // SOI
        jpeg.AddRange([0xFF, 0xDB, 0x00, 0x43, 0x00]);                           // DQT, table 0, 8-bit
        jpeg.AddRange(Enumerable.Repeat((byte)1, 64));
        if (withFrameHeader)
            jpeg.AddRange([0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]); // SOF0 8×8, 1 component
        jpeg.AddRange([0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, .. new byte[15], 0x00]); // DHT DC 0: one code "0" → category 0
        jpeg.AddRange([0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, .. new byte[15], 0x00]); // DHT AC 0: one code "0" → EOB
        jpeg.AddRange([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]); // SOS, component 1, spectral 0..63
        jpeg.Add(0x3F);                                                          // "0" (DC 0) "0" (EOB), padded with 1s
        jpeg.AddRange([0xFF, 0xD9]);                                             // EOI
        return jpeg.ToArray();
    }
}
